namespace SecurityAlexa.Aws;

/// <summary>ListCoverage request.</summary>
internal sealed class ListCoverageRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}
