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
