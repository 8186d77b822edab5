namespace SecurityAlexa.Aws;

/// <summary>ListCoverage response.</summary>
internal sealed class ListCoverageResponse
{
    public List<CoveredResourceDto>? CoveredResources { get; set; }
    public string? NextToken { get; set; }
}
