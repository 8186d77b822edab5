namespace SecurityAlexa.Aws;

/// <summary>ListFindingAggregations response.</summary>
internal sealed class ListFindingAggregationsResponse
{
    public string? AggregationType { get; set; }
    public List<AggregationResponseDto>? Responses { get; set; }
    public string? NextToken { get; set; }
}
