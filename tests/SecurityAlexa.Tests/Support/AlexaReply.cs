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

    /// <summary>The UTF-8 size of the response, as Alexa measures it against 24 KB.</summary>
    public int Bytes => System.Text.Encoding.UTF8.GetByteCount(Json);

    /// <summary>
    /// Fails unless the response has the shape Alexa accepts: version 1.0, a response object with only
    /// known members, speech as PlainText or SSML in a speak element, typed cards and directives,
    /// no speech beside Dialog.Delegate, and within the size limits.
    /// </summary>
    public AlexaReply AssertWellFormed()
    {
        Assert.Equal("1.0", (string?)Root["version"]);
        foreach (var (key, _) in Root) Assert.Contains(key, new[] { "version", "sessionAttributes", "response", "userAgent" });
        Assert.True(Bytes <= 24 * 1024, $"The response is {Bytes} bytes; Alexa accepts at most 24 KB.");
        if (Root["sessionAttributes"] is { } attributes) Assert.IsType<JsonObject>(attributes);
        var response = Assert.IsType<JsonObject>(Root["response"]);
        foreach (var (key, _) in response)
            Assert.Contains(key, new[] { "outputSpeech", "card", "reprompt", "shouldEndSession", "directives", "canFulfillIntent" });
        AssertSpeech(response["outputSpeech"]);
        if (response["reprompt"] is { } reprompt) AssertSpeech(Assert.IsType<JsonObject>(reprompt)["outputSpeech"]);
        if (response["shouldEndSession"] is { } end)
            Assert.Contains(end.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });
        if (response["card"] is JsonObject card)
        {
            Assert.Contains((string?)card["type"], new[] { "Simple", "Standard", "LinkAccount", "AskForPermissionsConsent" });
            Assert.False(card["content"] is not null && card["text"] is not null, "A card has content (Simple) or text (Standard), not both.");
        }
        if (response["directives"] is { } directives)
        {
            foreach (var d in Assert.IsType<JsonArray>(directives))
            {
                var type = (string?)d!["type"];
                Assert.False(string.IsNullOrEmpty(type), "Every directive needs a type.");
                if (type == "Dialog.Delegate")
                {
                    Assert.Null(response["outputSpeech"]);
                    Assert.Null(response["reprompt"]);
                }
                if (type == "Dialog.ElicitSlot") Assert.False(string.IsNullOrEmpty((string?)d["slotToElicit"]));
                if (type == "Dialog.ConfirmSlot") Assert.False(string.IsNullOrEmpty((string?)d["slotToConfirm"]));
                if (type is "Dialog.ElicitSlot" or "Dialog.ConfirmSlot" or "Dialog.ConfirmIntent") Assert.NotEqual(true, (bool?)response["shouldEndSession"]);
            }
        }
        if (response["canFulfillIntent"] is JsonObject cfi)
            Assert.Contains((string?)cfi["canFulfill"], new[] { "YES", "NO", "MAYBE" });
        return this;
    }

    private static void AssertSpeech(JsonNode? node)
    {
        if (node is null) return;
        var speech = Assert.IsType<JsonObject>(node);
        switch ((string?)speech["type"])
        {
            case "PlainText":
                Assert.NotNull((string?)speech["text"]);
                Assert.True(((string)speech["text"]!).Length < 8000);
                break;
            case "SSML":
                var ssml = (string?)speech["ssml"];
                Assert.NotNull(ssml);
                Assert.StartsWith("<speak>", ssml);
                Assert.EndsWith("</speak>", ssml);
                Assert.True(ssml.Length < 8000, $"SSML is {ssml.Length} characters; Alexa accepts fewer than 8,000.");
                // Well-formed XML: escaped text cannot have opened an element of its own.
                System.Xml.Linq.XElement.Parse(ssml);
                break;
            default:
                Assert.Fail($"Unknown outputSpeech type {(string?)speech["type"]}.");
                break;
        }
    }

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
