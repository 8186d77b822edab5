namespace SecurityAlexa.Aws;

/// <summary>Finding filters.</summary>
internal sealed class FindingFilterCriteria
{
    public List<MapFilter>? ResourceTags { get; set; }
    public List<StringFilter>? Severity { get; set; }
    public List<StringFilter>? FindingStatus { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}
