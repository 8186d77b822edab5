using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The session ended; the skill must not speak.</summary>
internal sealed class SessionEndedRequest : Request
{
    [JsonIgnore] public override string Type => "SessionEndedRequest";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("error")] public AlexaError? Error { get; set; }
}
