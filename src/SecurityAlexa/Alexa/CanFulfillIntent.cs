using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The answer to a CanFulfillIntentRequest.</summary>
internal sealed class CanFulfillIntent
{
    [JsonPropertyName("canFulfill")] public string CanFulfill { get; set; } = "NO";
    [JsonPropertyName("slots")] public Dictionary<string, CanFulfillSlot>? Slots { get; set; }
}
