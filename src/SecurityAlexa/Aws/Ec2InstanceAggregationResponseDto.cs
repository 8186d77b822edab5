namespace SecurityAlexa.Aws;

/// <summary>One instance's aggregated findings.</summary>
internal sealed class Ec2InstanceAggregationResponseDto
{
    public string? InstanceId { get; set; }
    public Dictionary<string, string>? InstanceTags { get; set; }
    public SeverityCountsDto? SeverityCounts { get; set; }
}
