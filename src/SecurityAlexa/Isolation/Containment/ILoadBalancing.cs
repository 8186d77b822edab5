namespace SecurityAlexa.Isolation.Containment;

/// <summary>Elastic Load Balancing v2 target groups, as containment needs them.</summary>
internal interface ILoadBalancing
{
    /// <summary>Every registration of the instance in an instance-type target group of its VPC (one per group and port).</summary>
    Task<IReadOnlyList<TargetRegistration>> FindAsync(string instanceId, string? vpcId, CancellationToken cancellationToken);

    /// <summary>Takes the instance out of the group on that port.</summary>
    Task DeregisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken);

    /// <summary>Puts the instance back into the group on that port.</summary>
    Task RegisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken);
}

/// <summary>One registration of an instance: the target group and the port (null: the group's own port).</summary>
internal sealed record TargetRegistration(string TargetGroupArn, int? Port)
{
    /// <summary>The group's name, from its ARN (…:targetgroup/name/id).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string GroupName => TargetGroupArn.Split('/') is { Length: >= 3 } parts ? parts[^2] : TargetGroupArn;
}
