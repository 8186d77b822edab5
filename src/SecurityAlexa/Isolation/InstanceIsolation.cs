using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>What happened to one instance.</summary>
internal sealed record InstanceIsolation(
    string InstanceId,
    IsolationSubject? Subject,
    IsolationOutcome Outcome,
    IReadOnlyList<InterfaceResult> Interfaces,
    string? IsolationGroupId = null,
    bool? TerminationProtectionBefore = null,
    bool TerminationProtectionOn = false,
    IReadOnlyList<string>? Snapshots = null,
    IReadOnlyList<AwsCallException>? Problems = null,
    string? UnsafeGroupId = null,
    Containment.ContainmentReport? Containment = null)
{
    /// <summary>The name to speak.</summary>
    public string DisplayName => Subject?.DisplayName ?? InstanceId;

    /// <summary>Snapshot ids taken.</summary>
    public IReadOnlyList<string> SnapshotIds => Snapshots ?? [];

    /// <summary>Failures that did not stop the network isolation (protection, snapshots) or stopped it (first one).</summary>
    public IReadOnlyList<AwsCallException> Errors => Problems ?? [];

    /// <summary>True when this call changed something on the instance or its interfaces.</summary>
    public bool Changed => Outcome is IsolationOutcome.Isolated or IsolationOutcome.Partial
        || Interfaces.Any(i => i.Outcome is InterfaceOutcome.Isolated or InterfaceOutcome.LeftOpen);
}
