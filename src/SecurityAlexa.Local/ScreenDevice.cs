using System.Text;
using System.Text.Json.Nodes;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Screens;

namespace SecurityAlexa.Local;

/// <summary>
/// The runner's device with a screen (--device show): what its requests declare, and how a screen sent back is described.
/// </summary>
internal static class ScreenDevice
{
    /// <summary>supportedInterfaces as an Echo Show or the console's simulator sends them.</summary>
    public static JsonObject Interfaces() => new()
    {
        [Screen.AplInterface] = new JsonObject { ["runtime"] = new JsonObject { ["maxVersion"] = "2024.3" } },
    };

    /// <summary>
    /// The event with context.System.device.supportedInterfaces declaring APL; an event that is not an object is left as it is.
    /// </summary>
    public static byte[] Declare(byte[] payload)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(payload); }
        catch (System.Text.Json.JsonException) { return payload; }
        if (root is not JsonObject envelope) return payload;
        var context = envelope["context"] as JsonObject ?? [];
        envelope["context"] = context;
        var system = context["System"] as JsonObject ?? [];
        context["System"] = system;
        var device = system["device"] as JsonObject ?? [];
        system["device"] = device;
        var interfaces = device["supportedInterfaces"] as JsonObject ?? [];
        device["supportedInterfaces"] = interfaces;
        foreach (var (key, value) in Interfaces()) interfaces[key] = value?.DeepClone();
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    /// <summary>"(screen: scanResults, 3 items)" for each screen in a response.</summary>
    public static IEnumerable<string> Describe(string responseJson)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(responseJson); }
        catch (System.Text.Json.JsonException) { yield break; }
        foreach (var directive in (root?["response"]?["directives"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)directive["type"] != AplRenderDocument.TypeName) continue;
            yield return Describe(directive);
        }
    }

    /// <summary>"(screen: scanResults, 3 items)" for one RenderDocument directive.</summary>
    public static string Describe(JsonObject directive)
    {
        var items = (directive["datasources"]?[AplRenderDocument.DataSourceName]?["items"] as JsonArray)?.Count ?? 0;
        return $"(screen: {(string?)directive["token"] ?? "?"}, {items} {(items == 1 ? "item" : "items")})";
    }
}
