namespace SecurityAlexa.Patching;

/// <summary>An instance's patch compliance after the last patch operation (DescribeInstancePatchStates).</summary>
internal sealed record InstancePatchState(
    string InstanceId,
    int Missing,
    int Failed,
    int InstalledPendingReboot,
    int CriticalNonCompliant,
    int SecurityNonCompliant,
    DateTimeOffset? OperationEndTime);
