using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Screens;

/// <summary>Requests from a device with a screen, and the screen read back from a reply.</summary>
internal static class ScreenRequests
{
    /// <summary>Declares the APL interface, as an Echo Show or the console's simulator does.</summary>
    public static AlexaRequests WithApl(this AlexaRequests request)
    {
        request.Root["context"]!["System"]!["device"]!["supportedInterfaces"] = new JsonObject
        {
            ["Alexa.Presentation.APL"] = new JsonObject { ["runtime"] = new JsonObject { ["maxVersion"] = "2024.3" } },
        };
        return request;
    }

    /// <summary>The RenderDocument directive, or null.</summary>
    public static JsonObject? Screen(this AlexaReply reply) => reply.Directive("Alexa.Presentation.APL.RenderDocument");

    /// <summary>The data the screen binds; fails when there is no screen.</summary>
    public static JsonObject ScreenData(this AlexaReply reply)
    {
        var screen = reply.Screen();
        Assert.NotNull(screen);
        return screen["datasources"]!["screen"]!.AsObject();
    }

    /// <summary>The rows' titles, in order.</summary>
    public static List<string> ItemTitles(this JsonObject data) => data["items"]!.AsArray().Select(i => (string)i!["title"]!).ToList();

    /// <summary>The rows' ids, in order.</summary>
    public static List<string> ItemIds(this JsonObject data) => data["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();

    /// <summary>A bar's figure by its label.</summary>
    public static long Bar(this JsonObject data, string label) =>
        (long)data["bars"]!.AsArray().Single(b => (string?)b!["label"] == label)!["count"]!;
}
