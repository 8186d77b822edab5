using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

// The inspector2 request and response bodies this skill uses, shaped as the API reference shows
// (camelCase members). Only the members the skill reads or sends are modelled; unknown ones are ignored.

/// <summary>Source-generated JSON for the inspector2 bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
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
