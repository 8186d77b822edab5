namespace SecurityAlexa.Aws;

/// <summary>ListFindingAggregations request.</summary>
internal sealed class ListFindingAggregationsRequest
{
    public string AggregationType { get; set; } = "AWS_EC2_INSTANCE";
    public AggregationRequestDto? AggregationRequest { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}
