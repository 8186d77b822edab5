using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A canonical slot value.</summary>
internal sealed class ResolutionValue
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
}
