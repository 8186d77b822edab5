using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecurityAlexa.Tests.Support;

/// <summary>A response read back as plain JSON, with accessors for what tests check.</summary>
public sealed partial class AlexaReply
{
    public AlexaReply(string json)
    {
        Json = json;
        Root = JsonNode.Parse(json)!.AsObject();
    }

    public string Json { get; }

    public JsonObject Root { get; }

    public JsonObject? Response => Root["response"] as JsonObject;

    /// <summary>The speech as plain text (SSML tags removed, entities decoded).</summary>
    public string Speech => Plain(Response?["outputSpeech"]);

    /// <summary>The reprompt as plain text.</summary>
    public string Reprompt => Plain(Response?["reprompt"]?["outputSpeech"]);

    /// <summary>The raw SSML, if the speech is SSML.</summary>
    public string? Ssml => (string?)Response?["outputSpeech"]?["ssml"];

    public bool? EndsSession => (bool?)Response?["shouldEndSession"];

    public string? CardText => (string?)Response?["card"]?["content"] ?? (string?)Response?["card"]?["text"];

    public JsonArray Directives => Response?["directives"] as JsonArray ?? [];

    public IEnumerable<string> DirectiveTypes => Directives.Select(d => (string)d!["type"]!);

    public JsonObject? Directive(string type) => Directives.OfType<JsonObject>().FirstOrDefault(d => (string?)d["type"] == type);

    public JsonObject? SessionAttributes => Root["sessionAttributes"] as JsonObject;

    /// <summary>True when the response has no speech, card or directives (as SessionEnded requires).</summary>
    public bool IsEmpty => Response is null || Response.Count == 0;

    private static string Plain(JsonNode? speech)
    {
        if (speech is null) return "";
        var ssml = (string?)speech["ssml"];
        if (ssml is null) return (string?)speech["text"] ?? "";
        var text = TagPattern().Replace(ssml, "");
        return text.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&amp;", "&").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();

    public override string ToString() => Json;
}
