using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>One slot as Alexa heard and resolved it.</summary>
internal sealed class Slot
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("confirmationStatus")] public string? ConfirmationStatus { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("resolutions")] public Resolutions? Resolutions { get; set; }
    [JsonPropertyName("slotValue")] public SlotValue? SlotValue { get; set; }
}
