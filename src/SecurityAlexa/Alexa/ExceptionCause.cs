using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Which earlier request caused a System.ExceptionEncountered.</summary>
internal sealed class ExceptionCause
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
}
