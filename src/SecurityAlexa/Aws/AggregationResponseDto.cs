namespace SecurityAlexa.Aws;

/// <summary>The aggregation response union.</summary>
internal sealed class AggregationResponseDto
{
    public Ec2InstanceAggregationResponseDto? Ec2InstanceAggregation { get; set; }
}
