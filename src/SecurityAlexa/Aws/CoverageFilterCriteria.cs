namespace SecurityAlexa.Aws;

/// <summary>Coverage filters.</summary>
internal sealed class CoverageFilterCriteria
{
    public List<CoverageMapFilter>? Ec2InstanceTags { get; set; }
    public List<StringFilter>? ResourceType { get; set; }
}
