using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>CloudWatch Logs StartQuery response.</summary>
internal sealed class LogsStartQueryResponse
{
    [JsonPropertyName("queryId")] public string? QueryId { get; set; }
}
