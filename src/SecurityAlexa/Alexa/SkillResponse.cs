using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The envelope returned to Alexa.</summary>
internal sealed class SkillResponse
{
    [JsonPropertyName("version")] public string Version { get; set; } = "1.0";
    [JsonPropertyName("sessionAttributes")] public Dictionary<string, JsonElement>? SessionAttributes { get; set; }
    [JsonPropertyName("response")] public ResponseBody Response { get; set; } = new();
}

/// <summary>What Alexa says and shows, and whether the session stays open.</summary>
internal sealed class ResponseBody
{
    [JsonPropertyName("outputSpeech")] public OutputSpeech? OutputSpeech { get; set; }
    [JsonPropertyName("card")] public Card? Card { get; set; }
    [JsonPropertyName("reprompt")] public Reprompt? Reprompt { get; set; }
    [JsonPropertyName("shouldEndSession")] public bool? ShouldEndSession { get; set; }
    [JsonPropertyName("directives")] public List<Directive>? Directives { get; set; }
    [JsonPropertyName("canFulfillIntent")] public CanFulfillIntent? CanFulfillIntent { get; set; }
}

/// <summary>Speech as plain text or SSML.</summary>
internal sealed class OutputSpeech
{
    [JsonPropertyName("type")] public string Type { get; set; } = "PlainText";
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("ssml")] public string? Ssml { get; set; }
    [JsonPropertyName("playBehavior")] public string? PlayBehavior { get; set; }

    /// <summary>Plain-text speech.</summary>
    public static OutputSpeech Plain(string text) => new() { Type = "PlainText", Text = text };

    /// <summary>SSML speech; the argument must already be valid SSML without the speak element.</summary>
    public static OutputSpeech FromSsml(string ssmlBody) => new() { Type = "SSML", Ssml = "<speak>" + ssmlBody + "</speak>" };

    /// <summary>The speech as text a person would read, with SSML tags removed.</summary>
    [JsonIgnore]
    public string SpokenText => Type == "SSML" ? Alexa.Ssml.ToPlainText(Ssml ?? "") : Text ?? "";
}

/// <summary>What Alexa says if the user does not answer.</summary>
internal sealed class Reprompt
{
    [JsonPropertyName("outputSpeech")] public OutputSpeech? OutputSpeech { get; set; }
}

/// <summary>A card in the Alexa app: Simple (title, content) or Standard (title, text).</summary>
internal sealed class Card
{
    [JsonPropertyName("type")] public string Type { get; set; } = "Simple";
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("image")] public CardImage? Image { get; set; }

    /// <summary>A Simple card.</summary>
    public static Card Simple(string title, string content) => new() { Type = "Simple", Title = title, Content = content };

    /// <summary>A Standard card.</summary>
    public static Card Standard(string title, string text) => new() { Type = "Standard", Title = title, Text = text };

    /// <summary>The body whichever card type this is.</summary>
    [JsonIgnore]
    public string Body
    {
        get => Type == "Standard" ? Text ?? "" : Content ?? "";
        set { if (Type == "Standard") Text = value; else Content = value; }
    }
}

/// <summary>Images for a Standard card.</summary>
internal sealed class CardImage
{
    [JsonPropertyName("smallImageUrl")] public string? SmallImageUrl { get; set; }
    [JsonPropertyName("largeImageUrl")] public string? LargeImageUrl { get; set; }
}

/// <summary>The answer to a CanFulfillIntentRequest.</summary>
internal sealed class CanFulfillIntent
{
    [JsonPropertyName("canFulfill")] public string CanFulfill { get; set; } = "NO";
    [JsonPropertyName("slots")] public Dictionary<string, CanFulfillSlot>? Slots { get; set; }
}

/// <summary>Whether the skill understands and can fulfil one slot.</summary>
internal sealed class CanFulfillSlot
{
    [JsonPropertyName("canUnderstand")] public string CanUnderstand { get; set; } = "NO";
    [JsonPropertyName("canFulfill")] public string CanFulfill { get; set; } = "NO";
}
