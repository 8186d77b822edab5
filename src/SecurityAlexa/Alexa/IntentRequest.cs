using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>An utterance mapped to one of the skill's intents.</summary>
internal sealed class IntentRequest : Request
{
    [JsonIgnore] public override string Type => "IntentRequest";
    [JsonPropertyName("dialogState")] public string? DialogState { get; set; }
    [JsonPropertyName("intent")] public Intent? Intent { get; set; }
}
