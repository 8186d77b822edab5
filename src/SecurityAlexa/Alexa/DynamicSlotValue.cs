using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A dynamic entity value with synonyms.</summary>
internal sealed class DynamicSlotValue
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public DynamicSlotName Name { get; set; } = new();
}
