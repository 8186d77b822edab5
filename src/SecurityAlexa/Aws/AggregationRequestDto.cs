namespace SecurityAlexa.Aws;

/// <summary>The aggregation request union; only the EC2 instance member is used.</summary>
internal sealed class AggregationRequestDto
{
    public Ec2InstanceAggregationDto? Ec2InstanceAggregation { get; set; }
}
