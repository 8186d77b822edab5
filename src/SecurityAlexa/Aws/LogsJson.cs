using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>CloudWatch Logs StartQuery request (JSON 1.1).</summary>
internal sealed class LogsStartQueryRequest
{
    [JsonPropertyName("logGroupNames")] public List<string> LogGroupNames { get; set; } = [];
    [JsonPropertyName("startTime")] public long StartTime { get; set; }
    [JsonPropertyName("endTime")] public long EndTime { get; set; }
    [JsonPropertyName("queryString")] public string QueryString { get; set; } = "";
    [JsonPropertyName("limit")] public int? Limit { get; set; }
}

/// <summary>CloudWatch Logs StartQuery response.</summary>
internal sealed class LogsStartQueryResponse
{
    [JsonPropertyName("queryId")] public string? QueryId { get; set; }
}

/// <summary>CloudWatch Logs GetQueryResults request.</summary>
internal sealed class LogsGetQueryResultsRequest
{
    [JsonPropertyName("queryId")] public string QueryId { get; set; } = "";
}

/// <summary>CloudWatch Logs GetQueryResults response: a status and rows of field/value pairs.</summary>
internal sealed class LogsGetQueryResultsResponse
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("results")] public List<List<LogsResultField>?>? Results { get; set; }
}

/// <summary>One field of one result row.</summary>
internal sealed class LogsResultField
{
    [JsonPropertyName("field")] public string? Field { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>Source-generated JSON for the CloudWatch Logs calls.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LogsStartQueryRequest))]
[JsonSerializable(typeof(LogsStartQueryResponse))]
[JsonSerializable(typeof(LogsGetQueryResultsRequest))]
[JsonSerializable(typeof(LogsGetQueryResultsResponse))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
