using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>An error reported by Alexa.</summary>
internal sealed class AlexaError
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}
