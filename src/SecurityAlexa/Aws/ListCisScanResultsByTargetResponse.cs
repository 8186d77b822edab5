namespace SecurityAlexa.Aws;

/// <summary>ListCisScanResultsAggregatedByTargetResource response.</summary>
internal sealed class ListCisScanResultsByTargetResponse
{
    public List<CisTargetResourceAggregationDto>? TargetResourceAggregations { get; set; }
    public string? NextToken { get; set; }
}
