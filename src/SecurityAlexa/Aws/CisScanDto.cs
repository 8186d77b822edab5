using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>A CIS scan.</summary>
internal sealed class CisScanDto
{
    public string? ScanArn { get; set; }
    public string? ScanConfigurationArn { get; set; }
    public string? ScanName { get; set; }
    public string? Status { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ScanDate { get; set; }
    public int? FailedChecks { get; set; }
    public int? TotalChecks { get; set; }
    public CisTargetsDto? Targets { get; set; }
}
