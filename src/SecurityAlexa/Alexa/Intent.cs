using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>An intent with its slots; also used in dialog directives as updatedIntent.</summary>
internal sealed class Intent
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("confirmationStatus")] public string? ConfirmationStatus { get; set; }
    [JsonPropertyName("slots")] public Dictionary<string, Slot>? Slots { get; set; }
}
