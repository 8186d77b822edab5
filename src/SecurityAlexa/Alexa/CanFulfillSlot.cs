using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Whether the skill understands and can fulfil one slot.</summary>
internal sealed class CanFulfillSlot
{
    [JsonPropertyName("canUnderstand")] public string CanUnderstand { get; set; } = "NO";
    [JsonPropertyName("canFulfill")] public string CanFulfill { get; set; } = "NO";
}
