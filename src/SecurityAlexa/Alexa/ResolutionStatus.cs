using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH, ER_ERROR_TIMEOUT or ER_ERROR_EXCEPTION.</summary>
internal sealed class ResolutionStatus
{
    [JsonPropertyName("code")] public string? Code { get; set; }
}
