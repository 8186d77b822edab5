namespace SecurityAlexa.Aws;

/// <summary>ListCoverageStatistics response.</summary>
internal sealed class ListCoverageStatisticsResponse
{
    public List<CountsDto>? CountsByGroup { get; set; }
    public long? TotalCounts { get; set; }
    public string? NextToken { get; set; }
}
