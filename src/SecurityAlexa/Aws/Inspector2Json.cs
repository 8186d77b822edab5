using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

// The inspector2 request and response bodies this skill uses, shaped as the API reference shows
// (camelCase members). Only the members the skill reads or sends are modelled; unknown ones are ignored.

/// <summary>{comparison, key, value}: a tag filter for findings and aggregations.</summary>
public sealed record MapFilter(string Comparison, string Key, string? Value);

/// <summary>{comparison, value}: a string filter.</summary>
public sealed record StringFilter(string Comparison, string Value);

/// <summary>{comparison, key, value}: a coverage tag filter.</summary>
public sealed record CoverageMapFilter(string Comparison, string Key, string? Value);

/// <summary>BatchGetAccountStatus request.</summary>
public sealed class BatchGetAccountStatusRequest
{
    public List<string>? AccountIds { get; set; }
}

/// <summary>BatchGetAccountStatus response.</summary>
public sealed class BatchGetAccountStatusResponse
{
    public List<AccountStateDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}

/// <summary>An account's Inspector state.</summary>
public sealed class AccountStateDto
{
    public string? AccountId { get; set; }
    public ResourceStateDto? ResourceState { get; set; }
    public StateDto? State { get; set; }
}

/// <summary>Per-resource-type state.</summary>
public sealed class ResourceStateDto
{
    public StateDto? Ec2 { get; set; }
}

/// <summary>{status, errorCode, errorMessage}.</summary>
public sealed class StateDto
{
    public string? Status { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>An account that could not be enabled or read.</summary>
public sealed class FailedAccountDto
{
    public string? AccountId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>Enable request.</summary>
public sealed class EnableRequest
{
    public List<string>? AccountIds { get; set; }
    public List<string> ResourceTypes { get; set; } = [];
    public string? ClientToken { get; set; }
}

/// <summary>Enable response.</summary>
public sealed class EnableResponse
{
    public List<AccountDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}

/// <summary>An account Enable answered for.</summary>
public sealed class AccountDto
{
    public string? AccountId { get; set; }
    public ResourceStatusDto? ResourceStatus { get; set; }
    public string? Status { get; set; }
}

/// <summary>Per-resource-type status strings.</summary>
public sealed class ResourceStatusDto
{
    public string? Ec2 { get; set; }
}

/// <summary>CreateCisScanConfiguration request.</summary>
public sealed class CreateCisScanConfigurationRequest
{
    public string ScanName { get; set; } = "";
    public ScheduleDto Schedule { get; set; } = new();
    public string SecurityLevel { get; set; } = "LEVEL_1";
    public CisTargetsDto Targets { get; set; } = new();
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>A schedule; only oneTime is used.</summary>
public sealed class ScheduleDto
{
    public OneTimeScheduleDto? OneTime { get; set; }
}

/// <summary>The one-time schedule, an empty object.</summary>
public sealed class OneTimeScheduleDto;

/// <summary>CIS targets: accounts and a map of tag key to values.</summary>
public sealed class CisTargetsDto
{
    public List<string>? AccountIds { get; set; }
    public Dictionary<string, List<string>>? TargetResourceTags { get; set; }
}

/// <summary>CreateCisScanConfiguration response.</summary>
public sealed class CreateCisScanConfigurationResponse
{
    public string? ScanConfigurationArn { get; set; }
}

/// <summary>ListCoverage request.</summary>
public sealed class ListCoverageRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>Coverage filters.</summary>
public sealed class CoverageFilterCriteria
{
    public List<CoverageMapFilter>? Ec2InstanceTags { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}

/// <summary>ListCoverage response.</summary>
public sealed class ListCoverageResponse
{
    public List<CoveredResourceDto>? CoveredResources { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>ListCoverageStatistics request: the same filters as ListCoverage, counted in one call.</summary>
public sealed class ListCoverageStatisticsRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public string? GroupBy { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>ListCoverageStatistics response.</summary>
public sealed class ListCoverageStatisticsResponse
{
    public List<CountsDto>? CountsByGroup { get; set; }
    public long? TotalCounts { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>{count, groupKey}: the group's value (e.g. ACTIVE) and how many resources are in it.</summary>
public sealed class CountsDto
{
    public long? Count { get; set; }
    public string? GroupKey { get; set; }
}

/// <summary>A covered resource.</summary>
public sealed class CoveredResourceDto
{
    public string? ResourceId { get; set; }
    public string? ResourceType { get; set; }
    public ScanStatusDto? ScanStatus { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastScannedAt { get; set; }
    public string? ScanMode { get; set; }
}

/// <summary>{statusCode, reason}.</summary>
public sealed class ScanStatusDto
{
    public string? StatusCode { get; set; }
    public string? Reason { get; set; }
}

/// <summary>ListCisScans request.</summary>
public sealed class ListCisScansRequest
{
    public ListCisScansFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>CIS scan filters.</summary>
public sealed class ListCisScansFilterCriteria
{
    public List<StringFilter>? ScanNameFilters { get; set; }
    public List<StringFilter>? ScanConfigurationArnFilters { get; set; }
}

/// <summary>ListCisScans response.</summary>
public sealed class ListCisScansResponse
{
    public List<CisScanDto>? Scans { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>A CIS scan.</summary>
public sealed class CisScanDto
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

/// <summary>ListCisScanResultsAggregatedByTargetResource request.</summary>
public sealed class ListCisScanResultsByTargetRequest
{
    public string ScanArn { get; set; } = "";
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>ListCisScanResultsAggregatedByTargetResource response.</summary>
public sealed class ListCisScanResultsByTargetResponse
{
    public List<CisTargetResourceAggregationDto>? TargetResourceAggregations { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>A CIS scan's result on one resource.</summary>
public sealed class CisTargetResourceAggregationDto
{
    public string? TargetResourceId { get; set; }
    public StatusCountsDto? StatusCounts { get; set; }
    public string? TargetStatus { get; set; }
    public string? TargetStatusReason { get; set; }
}

/// <summary>{failed, passed, skipped}.</summary>
public sealed class StatusCountsDto
{
    public int? Failed { get; set; }
    public int? Passed { get; set; }
    public int? Skipped { get; set; }
}

/// <summary>ListFindingAggregations request.</summary>
public sealed class ListFindingAggregationsRequest
{
    public string AggregationType { get; set; } = "AWS_EC2_INSTANCE";
    public AggregationRequestDto? AggregationRequest { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>The aggregation request union; only the EC2 instance member is used.</summary>
public sealed class AggregationRequestDto
{
    public Ec2InstanceAggregationDto? Ec2InstanceAggregation { get; set; }
}

/// <summary>EC2 instance aggregation.</summary>
public sealed class Ec2InstanceAggregationDto
{
    public List<MapFilter>? InstanceTags { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>ListFindingAggregations response.</summary>
public sealed class ListFindingAggregationsResponse
{
    public string? AggregationType { get; set; }
    public List<AggregationResponseDto>? Responses { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>The aggregation response union.</summary>
public sealed class AggregationResponseDto
{
    public Ec2InstanceAggregationResponseDto? Ec2InstanceAggregation { get; set; }
}

/// <summary>One instance's aggregated findings.</summary>
public sealed class Ec2InstanceAggregationResponseDto
{
    public string? InstanceId { get; set; }
    public Dictionary<string, string>? InstanceTags { get; set; }
    public SeverityCountsDto? SeverityCounts { get; set; }
}

/// <summary>{all, critical, high, medium}.</summary>
public sealed class SeverityCountsDto
{
    public long? All { get; set; }
    public long? Critical { get; set; }
    public long? High { get; set; }
    public long? Medium { get; set; }
}

/// <summary>ListFindings request.</summary>
public sealed class ListFindingsRequest
{
    public FindingFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public SortCriteriaDto? SortCriteria { get; set; }
}

/// <summary>Finding filters.</summary>
public sealed class FindingFilterCriteria
{
    public List<MapFilter>? ResourceTags { get; set; }
    public List<StringFilter>? Severity { get; set; }
    public List<StringFilter>? FindingStatus { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}

/// <summary>{field, sortOrder}.</summary>
public sealed record SortCriteriaDto(string Field, string SortOrder);

/// <summary>ListFindings response.</summary>
public sealed class ListFindingsResponse
{
    public List<FindingDto>? Findings { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>A finding.</summary>
public sealed class FindingDto
{
    public string? FindingArn { get; set; }
    public string? Severity { get; set; }
    public string? Status { get; set; }
    public string? Title { get; set; }
    public string? Type { get; set; }
    public string? FixAvailable { get; set; }
    public List<FindingResourceDto>? Resources { get; set; }
    public PackageVulnerabilityDetailsDto? PackageVulnerabilityDetails { get; set; }
}

/// <summary>A resource a finding is about.</summary>
public sealed class FindingResourceDto
{
    public string? Id { get; set; }
    public string? Type { get; set; }
}

/// <summary>Package vulnerability details.</summary>
public sealed class PackageVulnerabilityDetailsDto
{
    public string? VulnerabilityId { get; set; }
    public List<VulnerablePackageDto>? VulnerablePackages { get; set; }
}

/// <summary>A vulnerable package.</summary>
public sealed class VulnerablePackageDto
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? FixedInVersion { get; set; }
}

/// <summary>GetCisScanReport request.</summary>
public sealed class GetCisScanReportRequest
{
    public string ScanArn { get; set; } = "";
    public string? ReportFormat { get; set; }
}

/// <summary>GetCisScanReport response.</summary>
public sealed class GetCisScanReportResponse
{
    public string? Status { get; set; }
    public string? Url { get; set; }
}

/// <summary>
/// REST-JSON timestamps arrive as epoch seconds (a number, maybe fractional); ISO strings are accepted too.
/// </summary>
public sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(reader.GetDouble() * 1000));
            case JsonTokenType.String:
                var s = reader.GetString();
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000));
                return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
            default:
                throw new JsonException("Expected a timestamp.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v.ToUnixTimeMilliseconds() / 1000.0);
        else writer.WriteNullValue();
    }
}

/// <summary>Source-generated JSON for the inspector2 bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchGetAccountStatusRequest))]
[JsonSerializable(typeof(BatchGetAccountStatusResponse))]
[JsonSerializable(typeof(EnableRequest))]
[JsonSerializable(typeof(EnableResponse))]
[JsonSerializable(typeof(CreateCisScanConfigurationRequest))]
[JsonSerializable(typeof(CreateCisScanConfigurationResponse))]
[JsonSerializable(typeof(ListCoverageRequest))]
[JsonSerializable(typeof(ListCoverageResponse))]
[JsonSerializable(typeof(ListCoverageStatisticsRequest))]
[JsonSerializable(typeof(ListCoverageStatisticsResponse))]
[JsonSerializable(typeof(ListCisScansRequest))]
[JsonSerializable(typeof(ListCisScansResponse))]
[JsonSerializable(typeof(ListCisScanResultsByTargetRequest))]
[JsonSerializable(typeof(ListCisScanResultsByTargetResponse))]
[JsonSerializable(typeof(ListFindingAggregationsRequest))]
[JsonSerializable(typeof(ListFindingAggregationsResponse))]
[JsonSerializable(typeof(ListFindingsRequest))]
[JsonSerializable(typeof(ListFindingsResponse))]
[JsonSerializable(typeof(GetCisScanReportRequest))]
[JsonSerializable(typeof(GetCisScanReportResponse))]
public sealed partial class Inspector2JsonContext : JsonSerializerContext;
