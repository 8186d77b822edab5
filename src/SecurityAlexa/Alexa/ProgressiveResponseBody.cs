using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The body posted to {apiEndpoint}/v1/directives.</summary>
internal sealed class ProgressiveResponseBody
{
    [JsonPropertyName("header")] public ProgressiveResponseHeader Header { get; set; } = new();
    // Declared as the base type: only then does the serializer write the "type" discriminator.
    [JsonPropertyName("directive")] public Directive Directive { get; set; } = new VoicePlayerSpeak();
}
