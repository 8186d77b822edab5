namespace SecurityAlexa.Aws;

/// <summary>ListFindings request.</summary>
internal sealed class ListFindingsRequest
{
    public FindingFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public SortCriteriaDto? SortCriteria { get; set; }
}
