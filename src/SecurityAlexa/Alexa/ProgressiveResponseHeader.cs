using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Header of a progressive response: the request it belongs to.</summary>
internal sealed class ProgressiveResponseHeader
{
    [JsonPropertyName("requestId")] public string RequestId { get; set; } = "";
}
