namespace SecurityAlexa.Aws;

/// <summary>EC2 instance aggregation.</summary>
internal sealed class Ec2InstanceAggregationDto
{
    public List<MapFilter>? InstanceTags { get; set; }
    public string? SortBy { get; set; }
    public string? SortOrder { get; set; }
}
