using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Aws;

/// <summary>Amazon EC2 Auto Scaling (Query protocol, 2011-01-01): one translation per call containment makes.</summary>
internal sealed class AutoScalingClient(SignedJsonClient http) : IAutoScaling
{
    private readonly QueryClient _query = new(http, "2011-01-01");

    /// <inheritdoc />
    public async Task<AutoScalingMember?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        var result = await _query.CallAsync(AwsOperations.AutoScalingDescribeAutoScalingInstances, "DescribeAutoScalingInstances",
            QueryClient.List("InstanceIds", [instanceId]), cancellationToken).ConfigureAwait(false);
        var row = QueryClient.Members(result, "AutoScalingInstances").FirstOrDefault(m => QueryClient.Text(m, "InstanceId") == instanceId);
        if (row is null || QueryClient.Text(row, "AutoScalingGroupName") is not { Length: > 0 } group) return null;
        return new AutoScalingMember(group, QueryClient.Text(row, "LifecycleState") ?? "",
            QueryClient.Bool(row, "ProtectedFromScaleIn") ?? false);
    }

    /// <inheritdoc />
    public Task SetScaleInProtectionAsync(string groupName, string instanceId, bool protect, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.AutoScalingSetInstanceProtection, "SetInstanceProtection",
            [.. Group(groupName, instanceId), ("ProtectedFromScaleIn", protect ? "true" : "false")], cancellationToken);

    /// <inheritdoc />
    public Task EnterStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.AutoScalingEnterStandby, "EnterStandby",
            [.. Group(groupName, instanceId), ("ShouldDecrementDesiredCapacity", "true")], cancellationToken);

    /// <inheritdoc />
    public Task ExitStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.AutoScalingExitStandby, "ExitStandby", Group(groupName, instanceId), cancellationToken);

    /// <inheritdoc />
    public Task DetachAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.AutoScalingDetachInstances, "DetachInstances",
            [.. Group(groupName, instanceId), ("ShouldDecrementDesiredCapacity", "false")], cancellationToken);

    /// <inheritdoc />
    public Task AttachAsync(string groupName, string instanceId, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.AutoScalingAttachInstances, "AttachInstances", Group(groupName, instanceId), cancellationToken);

    private static List<(string Name, string Value)> Group(string groupName, string instanceId) =>
        [("AutoScalingGroupName", groupName), .. QueryClient.List("InstanceIds", [instanceId])];
}
