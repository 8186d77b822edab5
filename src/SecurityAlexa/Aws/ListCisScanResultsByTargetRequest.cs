namespace SecurityAlexa.Aws;

/// <summary>ListCisScanResultsAggregatedByTargetResource request.</summary>
internal sealed class ListCisScanResultsByTargetRequest
{
    public string ScanArn { get; set; } = "";
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}
