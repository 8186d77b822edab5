using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>CloudWatch Logs GetQueryResults response: a status and rows of field/value pairs.</summary>
internal sealed class LogsGetQueryResultsResponse
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("results")] public List<List<LogsResultField>?>? Results { get; set; }
}
