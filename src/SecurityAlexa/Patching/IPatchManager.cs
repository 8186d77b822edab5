namespace SecurityAlexa.Patching;

/// <summary>An instance as Systems Manager knows it (DescribeInstanceInformation).</summary>
internal sealed record ManagedNode(string InstanceId, string? PingStatus, string? PlatformName, string? PlatformVersion, string? PlatformType)
{
    /// <summary>True when the SSM agent answers, so a command can reach the instance.</summary>
    public bool IsOnline => string.Equals(PingStatus, "Online", StringComparison.Ordinal);
}

/// <summary>A patch baseline registered for a patch group, for one operating system (DescribePatchGroups).</summary>
internal sealed record PatchGroupBaseline(string PatchGroup, string BaselineId, string? BaselineName, string? OperatingSystem);

/// <summary>Where a patch command goes: every instance carrying a tag, or a list of at most 50 instance ids.</summary>
internal sealed record PatchCommandTarget
{
    /// <summary>The exact tag key, when the whole tag group is targeted.</summary>
    public string? TagKey { get; init; }

    /// <summary>The exact tag values (one value, or its spellings such as prod and Prod), when the whole tag group is targeted.</summary>
    public IReadOnlyList<string> TagValues { get; init; } = [];

    /// <summary>The instance ids, when targeting by id.</summary>
    public IReadOnlyList<string> InstanceIds { get; init; } = [];

    /// <summary>True when the command targets a tag rather than ids.</summary>
    public bool IsTag => TagKey is not null && TagValues.Count > 0;
}

/// <summary>One AWS-RunPatchBaseline command to send.</summary>
internal sealed record PatchCommandRequest(
    PatchCommandTarget Target,
    string Operation,
    string RebootOption,
    string MaxConcurrency,
    string MaxErrors,
    string Comment);

/// <summary>A command this skill sent, as ListCommands reports it.</summary>
internal sealed record PatchCommand(
    string CommandId,
    string? Comment,
    string Status,
    DateTimeOffset? RequestedAt,
    int TargetCount,
    int CompletedCount,
    int ErrorCount,
    int DeliveryTimedOutCount = 0);

/// <summary>One instance's part of a command (ListCommandInvocations).</summary>
internal sealed record PatchInvocation(string InstanceId, string Status, string? StatusDetails);

/// <summary>An instance's patch compliance after the last patch operation (DescribeInstancePatchStates).</summary>
internal sealed record InstancePatchState(
    string InstanceId,
    int Missing,
    int Failed,
    int InstalledPendingReboot,
    int CriticalNonCompliant,
    int SecurityNonCompliant,
    DateTimeOffset? OperationEndTime);

/// <summary>
/// The Systems Manager calls patching needs. The AWS adapter is a thin translation of the SSM API;
/// every decision (who is eligible, how to batch, what to say) is made by the Patching handlers.
/// </summary>
internal interface IPatchManager
{
    /// <summary>The SSM view of the given instances; instances SSM does not manage are simply absent.</summary>
    Task<IReadOnlyList<ManagedNode>> DescribeManagedNodesAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken);

    /// <summary>
    /// One page (at most <paramref name="max"/>, up to 50) of the managed nodes carrying a tag: a bounded sample of a large tag
    /// group's agents, never the whole group.
    /// </summary>
    Task<IReadOnlyList<ManagedNode>> SampleManagedNodesByTagAsync(string tagKey, IReadOnlyList<string> tagValues, int max, CancellationToken cancellationToken);

    /// <summary>Every patch group that has a baseline registered, with that baseline.</summary>
    Task<IReadOnlyList<PatchGroupBaseline>> ListPatchGroupBaselinesAsync(CancellationToken cancellationToken);

    /// <summary>The id of the default baseline for an operating system (an SSM OperatingSystem value such as AMAZON_LINUX_2023).</summary>
    Task<string?> GetDefaultBaselineAsync(string operatingSystem, CancellationToken cancellationToken);

    /// <summary>Sends one AWS-RunPatchBaseline command and returns its command id.</summary>
    Task<string> SendPatchCommandAsync(PatchCommandRequest request, CancellationToken cancellationToken);

    /// <summary>One command by id, or null when SSM no longer knows it.</summary>
    Task<PatchCommand?> GetCommandAsync(string commandId, CancellationToken cancellationToken);

    /// <summary>Recent AWS-RunPatchBaseline commands requested after the given time, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PatchCommand>> ListRecentPatchCommandsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Every instance's invocation of a command.</summary>
    Task<IReadOnlyList<PatchInvocation>> ListInvocationsAsync(string commandId, CancellationToken cancellationToken);

    /// <summary>The patch compliance of the given instances; instances never patched are absent.</summary>
    Task<IReadOnlyList<InstancePatchState>> DescribePatchStatesAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken);
}
