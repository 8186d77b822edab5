using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The structured slot value: Simple, or a List of values for multi-value slots.</summary>
internal sealed class SlotValue
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("resolutions")] public Resolutions? Resolutions { get; set; }
    [JsonPropertyName("values")] public List<SlotValue>? Values { get; set; }
}
