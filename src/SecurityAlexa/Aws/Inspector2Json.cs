using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

// The inspector2 request and response bodies this skill uses, shaped as the API reference shows
// (camelCase members). Only the members the skill reads or sends are modelled; unknown ones are ignored.

/// <summary>{comparison, key, value}: a tag filter for findings and aggregations.</summary>
internal sealed record MapFilter(string Comparison, string Key, string? Value);

/// <summary>{comparison, value}: a string filter.</summary>
internal sealed record StringFilter(string Comparison, string Value);

/// <summary>{comparison, key, value}: a coverage tag filter.</summary>
internal sealed record CoverageMapFilter(string Comparison, string Key, string? Value);

/// <summary>BatchGetAccountStatus request.</summary>
internal sealed class BatchGetAccountStatusRequest
{
    public List<string>? AccountIds { get; set; }
}

/// <summary>BatchGetAccountStatus response.</summary>
internal sealed class BatchGetAccountStatusResponse
{
    public List<AccountStateDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}

/// <summary>An account's Inspector state.</summary>
internal sealed class AccountStateDto
{
    public string? AccountId { get; set; }
    public ResourceStateDto? ResourceState { get; set; }
    public StateDto? State { get; set; }
}

/// <summary>Per-resource-type state.</summary>
internal sealed class ResourceStateDto
{
    public StateDto? Ec2 { get; set; }
}

/// <summary>{status, errorCode, errorMessage}.</summary>
internal sealed class StateDto
{
    public string? Status { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>An account that could not be enabled or read.</summary>
internal sealed class FailedAccountDto
{
    public string? AccountId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>Enable request.</summary>
internal sealed class EnableRequest
{
    public List<string>? AccountIds { get; set; }
    public List<string> ResourceTypes { get; set; } = [];
    public string? ClientToken { get; set; }
}

/// <summary>Enable response.</summary>
internal sealed class EnableResponse
{
    public List<AccountDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}

/// <summary>An account Enable answered for.</summary>
internal sealed class AccountDto
{
    public string? AccountId { get; set; }
    public ResourceStatusDto? ResourceStatus { get; set; }
    public string? Status { get; set; }
}

/// <summary>Per-resource-type status strings.</summary>
internal sealed class ResourceStatusDto
{
    public string? Ec2 { get; set; }
}

/// <summary>CreateCisScanConfiguration request.</summary>
internal sealed class CreateCisScanConfigurationRequest
{
    public string ScanName { get; set; } = "";
    public ScheduleDto Schedule { get; set; } = new();
    public string SecurityLevel { get; set; } = "LEVEL_1";
    public CisTargetsDto Targets { get; set; } = new();
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>A schedule; only oneTime is used.</summary>
internal sealed class ScheduleDto
{
    public OneTimeScheduleDto? OneTime { get; set; }
}

/// <summary>The one-time schedule, an empty object.</summary>
internal sealed class OneTimeScheduleDto;

/// <summary>CIS targets: accounts and a map of tag key to values.</summary>
internal sealed class CisTargetsDto
{
    public List<string>? AccountIds { get; set; }
    public Dictionary<string, List<string>>? TargetResourceTags { get; set; }
}

/// <summary>CreateCisScanConfiguration response.</summary>
internal sealed class CreateCisScanConfigurationResponse
{
    public string? ScanConfigurationArn { get; set; }
}

/// <summary>ListCoverage request.</summary>
internal sealed class ListCoverageRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>Coverage filters.</summary>
internal sealed class CoverageFilterCriteria
{
    public List<CoverageMapFilter>? Ec2InstanceTags { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}

/// <summary>ListCoverage response.</summary>
internal sealed class ListCoverageResponse
{
    public List<CoveredResourceDto>? CoveredResources { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>ListCoverageStatistics request: the same filters as ListCoverage, counted in one call.</summary>
internal sealed class ListCoverageStatisticsRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public string? GroupBy { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>ListCoverageStatistics response.</summary>
internal sealed class ListCoverageStatisticsResponse
{
    public List<CountsDto>? CountsByGroup { get; set; }
    public long? TotalCounts { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>{count, groupKey}: the group's value (e.g. ACTIVE) and how many resources are in it.</summary>
internal sealed class CountsDto
{
    public long? Count { get; set; }
    public string? GroupKey { get; set; }
}

/// <summary>A covered resource.</summary>
internal sealed class CoveredResourceDto
{
    public string? ResourceId { get; set; }
    public string? ResourceType { get; set; }
    public ScanStatusDto? ScanStatus { get; set; }
    [JsonConverter(typeof(AwsTimestampConverter))] public DateTimeOffset? LastScannedAt { get; set; }
    public string? ScanMode { get; set; }
}

/// <summary>{statusCode, reason}.</summary>
internal sealed class ScanStatusDto
{
    public string? StatusCode { get; set; }
    public string? Reason { get; set; }
}

/// <summary>ListCisScans request.</summary>
internal sealed class ListCisScansRequest
{
    public ListCisScansFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>CIS scan filters.</summary>
internal sealed class ListCisScansFilterCriteria
{
    public List<StringFilter>? ScanNameFilters { get; set; }
    public List<StringFilter>? ScanConfigurationArnFilters { get; set; }
}

/// <summary>ListCisScans response.</summary>
internal sealed class ListCisScansResponse
{
    public List<CisScanDto>? Scans { get; set; }
    public string? NextToken { get; set; }
}

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

/// <summary>ListCisScanResultsAggregatedByTargetResource request.</summary>
internal sealed class ListCisScanResultsByTargetRequest
{
    public string ScanArn { get; set; } = "";
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>ListCisScanResultsAggregatedByTargetResource response.</summary>
internal sealed class ListCisScanResultsByTargetResponse
{
    public List<CisTargetResourceAggregationDto>? TargetResourceAggregations { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>A CIS scan's result on one resource.</summary>
internal sealed class CisTargetResourceAggregationDto
{
    public string? TargetResourceId { get; set; }
    public StatusCountsDto? StatusCounts { get; set; }
    public string? TargetStatus { get; set; }
    public string? TargetStatusReason { get; set; }
}

/// <summary>{failed, passed, skipped}.</summary>
internal sealed class StatusCountsDto
{
    public int? Failed { get; set; }
    public int? Passed { get; set; }
    public int? Skipped { get; set; }
}

/// <summary>ListFindingAggregations request.</summary>
internal sealed class ListFindingAggregationsRequest
{
    public string AggregationType { get; set; } = "AWS_EC2_INSTANCE";
    public AggregationRequestDto? AggregationRequest { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>The aggregation request union; only the EC2 instance member is used.</summary>
internal sealed class AggregationRequestDto
{
    public Ec2InstanceAggregationDto? Ec2InstanceAggregation { get; set; }
}

/// <summary>EC2 instance aggregation.</summary>
internal sealed class Ec2InstanceAggregationDto
{
    public List<MapFilter>? InstanceTags { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}

/// <summary>ListFindingAggregations response.</summary>
internal sealed class ListFindingAggregationsResponse
{
    public string? AggregationType { get; set; }
    public List<AggregationResponseDto>? Responses { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>The aggregation response union.</summary>
internal sealed class AggregationResponseDto
{
    public Ec2InstanceAggregationResponseDto? Ec2InstanceAggregation { get; set; }
}

/// <summary>One instance's aggregated findings.</summary>
internal sealed class Ec2InstanceAggregationResponseDto
{
    public string? InstanceId { get; set; }
    public Dictionary<string, string>? InstanceTags { get; set; }
    public SeverityCountsDto? SeverityCounts { get; set; }
}

/// <summary>{all, critical, high, medium}.</summary>
internal sealed class SeverityCountsDto
{
    public long? All { get; set; }
    public long? Critical { get; set; }
    public long? High { get; set; }
    public long? Medium { get; set; }
}

/// <summary>ListFindings request.</summary>
internal sealed class ListFindingsRequest
{
    public FindingFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public SortCriteriaDto? SortCriteria { get; set; }
}

/// <summary>Finding filters.</summary>
internal sealed class FindingFilterCriteria
{
    public List<MapFilter>? ResourceTags { get; set; }
    public List<StringFilter>? Severity { get; set; }
    public List<StringFilter>? FindingStatus { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}

/// <summary>{field, sortOrder}.</summary>
internal sealed record SortCriteriaDto(string Field, string SortOrder);

/// <summary>ListFindings response.</summary>
internal sealed class ListFindingsResponse
{
    public List<FindingDto>? Findings { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>A finding.</summary>
internal sealed class FindingDto
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
internal sealed class FindingResourceDto
{
    public string? Id { get; set; }
    public string? Type { get; set; }
}

/// <summary>Package vulnerability details.</summary>
internal sealed class PackageVulnerabilityDetailsDto
{
    public string? VulnerabilityId { get; set; }
    public List<VulnerablePackageDto>? VulnerablePackages { get; set; }
}

/// <summary>A vulnerable package.</summary>
internal sealed class VulnerablePackageDto
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? FixedInVersion { get; set; }
}

/// <summary>GetCisScanReport request.</summary>
internal sealed class GetCisScanReportRequest
{
    public string ScanArn { get; set; } = "";
    public string? ReportFormat { get; set; }
}

/// <summary>GetCisScanReport response.</summary>
internal sealed class GetCisScanReportResponse
{
    public string? Status { get; set; }
    public string? Url { get; set; }
}

/// <summary>
/// REST-JSON timestamps arrive as epoch seconds (a number, maybe fractional); ISO strings are accepted too.
/// </summary>
internal sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset?>
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
internal sealed partial class Inspector2JsonContext : JsonSerializerContext;
