using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>ListCisScanResultsAggregatedByTargetResource response.</summary>
internal sealed class ListCisScanResultsByTargetResponse
{
    public List<CisTargetResourceAggregationDto>? TargetResourceAggregations { get; set; }
    public string? NextToken { get; set; }
}
