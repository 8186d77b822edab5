using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>A covered resource.</summary>
internal sealed class CoveredResourceDto
{
    public string? ResourceId { get; set; }
    public string? ResourceType { get; set; }
    public ScanStatusDto? ScanStatus { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastScannedAt { get; set; }
    public string? ScanMode { get; set; }
}
