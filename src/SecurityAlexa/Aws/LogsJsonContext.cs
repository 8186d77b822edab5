using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>Source-generated JSON for the CloudWatch Logs calls.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LogsStartQueryRequest))]
[JsonSerializable(typeof(LogsStartQueryResponse))]
[JsonSerializable(typeof(LogsGetQueryResultsRequest))]
[JsonSerializable(typeof(LogsGetQueryResultsResponse))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
