namespace SecurityAlexa.Aws;

/// <summary>ListFindings response.</summary>
internal sealed class ListFindingsResponse
{
    public List<FindingDto>? Findings { get; set; }
    public string? NextToken { get; set; }
}
