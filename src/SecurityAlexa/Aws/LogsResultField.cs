using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>One field of one result row.</summary>
internal sealed class LogsResultField
{
    [JsonPropertyName("field")] public string? Field { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}
