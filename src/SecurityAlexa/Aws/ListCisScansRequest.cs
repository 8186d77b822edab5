namespace SecurityAlexa.Aws;

/// <summary>ListCisScans request.</summary>
internal sealed class ListCisScansRequest
{
    public ListCisScansFilterCriteria? FilterCriteria { get; set; }
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}
