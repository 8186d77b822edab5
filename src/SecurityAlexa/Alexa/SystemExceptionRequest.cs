using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Alexa reports that our previous response was rejected; it expects an empty response.</summary>
internal sealed class SystemExceptionRequest : Request
{
    [JsonIgnore] public override string Type => "System.ExceptionEncountered";
    [JsonPropertyName("error")] public AlexaError? Error { get; set; }
    [JsonPropertyName("cause")] public ExceptionCause? Cause { get; set; }
}
