namespace SecurityAlexa.Aws;

/// <summary>ListCoverageStatistics request: the same filters as ListCoverage, counted in one call.</summary>
internal sealed class ListCoverageStatisticsRequest
{
    public CoverageFilterCriteria? FilterCriteria { get; set; }
    public string? GroupBy { get; set; }
    public string? NextToken { get; set; }
}
