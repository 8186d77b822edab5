using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

// The GuardDuty request and response bodies this skill uses, shaped as the service model shows (camelCase members).
// Only the members the skill reads or sends are modelled; unknown ones are ignored. Small and only used together,
// so they share a file.

/// <summary>ListDetectors' answer.</summary>
internal sealed record GdListDetectorsResponse
{
    public List<string>? DetectorIds { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>A findingCriteria: criterion name to condition.</summary>
internal sealed record GdFindingCriteria
{
    public Dictionary<string, GdCondition>? Criterion { get; init; }
}

/// <summary>One condition of a finding criterion.</summary>
internal sealed record GdCondition
{
    [JsonPropertyName("equals")] public List<string>? EqualTo { get; init; }
    public long? GreaterThanOrEqual { get; init; }
}

/// <summary>A sortCriteria.</summary>
internal sealed record GdSortCriteria(string AttributeName, string OrderBy);

/// <summary>GetFindingsStatistics' body.</summary>
internal sealed record GdGetFindingsStatisticsRequest
{
    public GdFindingCriteria? FindingCriteria { get; init; }
    public string? GroupBy { get; init; }
    public int? MaxResults { get; init; }
}

/// <summary>GetFindingsStatistics' answer.</summary>
internal sealed record GdGetFindingsStatisticsResponse
{
    public GdFindingStatistics? FindingStatistics { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>The statistics, as grouped.</summary>
internal sealed record GdFindingStatistics
{
    public List<GdSeverityStatistics>? GroupedBySeverity { get; init; }
}

/// <summary>Findings of one severity value.</summary>
internal sealed record GdSeverityStatistics
{
    public double? Severity { get; init; }
    public int? TotalFindings { get; init; }
}

/// <summary>ListFindings' body.</summary>
internal sealed record GdListFindingsRequest
{
    public GdFindingCriteria? FindingCriteria { get; init; }
    public GdSortCriteria? SortCriteria { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>ListFindings' answer.</summary>
internal sealed record GdListFindingsResponse
{
    public List<string>? FindingIds { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>GetFindings' body.</summary>
internal sealed record GdGetFindingsRequest
{
    public List<string>? FindingIds { get; init; }
    public GdSortCriteria? SortCriteria { get; init; }
}

/// <summary>GetFindings' answer.</summary>
internal sealed record GdGetFindingsResponse
{
    public List<GdFinding>? Findings { get; init; }
}

/// <summary>One finding.</summary>
internal sealed record GdFinding
{
    public string? AccountId { get; init; }
    public string? Id { get; init; }
    public string? Type { get; init; }
    public double? Severity { get; init; }
    public string? Title { get; init; }
    public string? UpdatedAt { get; init; }
    public GdResource? Resource { get; init; }
}

/// <summary>The resource of a finding.</summary>
internal sealed record GdResource
{
    public string? ResourceType { get; init; }
    public GdInstanceDetails? InstanceDetails { get; init; }
}

/// <summary>The instance of a finding.</summary>
internal sealed record GdInstanceDetails
{
    public string? InstanceId { get; init; }
    public List<GdTag>? Tags { get; init; }
}

/// <summary>A tag as GuardDuty reports it.</summary>
internal sealed record GdTag
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

/// <summary>StartMalwareScan's body.</summary>
internal sealed record GdStartMalwareScanRequest
{
    public string? ResourceArn { get; init; }
    public string? ClientToken { get; init; }
}

/// <summary>StartMalwareScan's answer.</summary>
internal sealed record GdStartMalwareScanResponse
{
    public string? ScanId { get; init; }
}

/// <summary>DescribeMalwareScans' body.</summary>
internal sealed record GdDescribeMalwareScansRequest
{
    public GdScanFilterCriteria? FilterCriteria { get; init; }
    public GdSortCriteria? SortCriteria { get; init; }
    public int? MaxResults { get; init; }
}

/// <summary>DescribeMalwareScans' filter: the service takes at most one criterion.</summary>
internal sealed record GdScanFilterCriteria
{
    public List<GdScanFilterCriterion>? FilterCriterion { get; init; }
}

/// <summary>One scan filter.</summary>
internal sealed record GdScanFilterCriterion(string CriterionKey, GdScanFilterCondition FilterCondition);

/// <summary>A scan filter's condition.</summary>
internal sealed record GdScanFilterCondition(string EqualsValue);

/// <summary>DescribeMalwareScans' answer.</summary>
internal sealed record GdDescribeMalwareScansResponse
{
    public List<GdScan>? Scans { get; init; }
    public string? NextToken { get; init; }
}

/// <summary>One malware scan.</summary>
internal sealed record GdScan
{
    public string? ScanId { get; init; }
    public string? ScanStatus { get; init; }
    public string? FailureReason { get; init; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ScanStartTime { get; init; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? ScanEndTime { get; init; }
    public GdScanResourceDetails? ResourceDetails { get; init; }
    public GdScanResultDetails? ScanResultDetails { get; init; }
    public long? FileCount { get; init; }
}

/// <summary>The scanned resource.</summary>
internal sealed record GdScanResourceDetails
{
    public string? InstanceArn { get; init; }
}

/// <summary>The scan's result.</summary>
internal sealed record GdScanResultDetails
{
    public string? ScanResult { get; init; }
}

/// <summary>Source-generated JSON for the GuardDuty bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GdListDetectorsResponse))]
[JsonSerializable(typeof(GdGetFindingsStatisticsRequest))]
[JsonSerializable(typeof(GdGetFindingsStatisticsResponse))]
[JsonSerializable(typeof(GdListFindingsRequest))]
[JsonSerializable(typeof(GdListFindingsResponse))]
[JsonSerializable(typeof(GdGetFindingsRequest))]
[JsonSerializable(typeof(GdGetFindingsResponse))]
[JsonSerializable(typeof(GdStartMalwareScanRequest))]
[JsonSerializable(typeof(GdStartMalwareScanResponse))]
[JsonSerializable(typeof(GdDescribeMalwareScansRequest))]
[JsonSerializable(typeof(GdDescribeMalwareScansResponse))]
internal sealed partial class GuardDutyApiJsonContext : JsonSerializerContext;
