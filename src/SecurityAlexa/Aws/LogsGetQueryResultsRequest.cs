using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>CloudWatch Logs GetQueryResults request.</summary>
internal sealed class LogsGetQueryResultsRequest
{
    [JsonPropertyName("queryId")] public string QueryId { get; set; } = "";
}
