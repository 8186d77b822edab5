using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

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
