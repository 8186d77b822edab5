using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

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
