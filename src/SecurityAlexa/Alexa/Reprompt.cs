using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>What Alexa says if the user does not answer.</summary>
internal sealed class Reprompt
{
    [JsonPropertyName("outputSpeech")] public OutputSpeech? OutputSpeech { get; set; }
}
