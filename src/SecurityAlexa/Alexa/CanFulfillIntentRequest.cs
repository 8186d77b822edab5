using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Alexa asks whether the skill could handle an intent, without acting on it.</summary>
internal sealed class CanFulfillIntentRequest : Request
{
    [JsonIgnore] public override string Type => "CanFulfillIntentRequest";
    [JsonPropertyName("intent")] public Intent? Intent { get; set; }
}
