namespace SecurityAlexa.Patching;

/// <summary>
/// The Systems Manager calls patching needs. The AWS adapter is a thin translation of the SSM API;
/// every decision (who is eligible, how to batch, what to say) is made by the Patching handlers.
/// </summary>
internal interface IPatchManager
{
    /// <summary>The SSM view of the given instances; instances SSM does not manage are simply absent.</summary>
    Task<IReadOnlyList<ManagedNode>> DescribeManagedNodesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken);

    /// <summary>
    /// One page (at most <paramref name="max"/>, up to 50) of the managed nodes carrying a tag: a bounded sample of a large tag
    /// group's agents, never the whole group.
    /// </summary>
    Task<IReadOnlyList<ManagedNode>> SampleManagedNodesByTagAsync(string tagKey, IReadOnlyList<string> tagValues, int max,
        CancellationToken cancellationToken);

    /// <summary>
    /// One page (at most <paramref name="max"/>, up to 50) of the ids of managed nodes that are not EC2 instances (on-premises
    /// servers and VMs, ids mi-...), and whether Systems Manager has more.
    /// </summary>
    Task<(IReadOnlyList<string> NodeIds, bool More)> ListNonEc2NodesAsync(int max, CancellationToken cancellationToken);

    /// <summary>The tags (key, value) of a managed node that is not an EC2 instance.</summary>
    Task<IReadOnlyList<(string Key, string Value)>> NonEc2NodeTagsAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Every patch group that has a baseline registered, with that baseline.</summary>
    Task<IReadOnlyList<PatchGroupBaseline>> ListPatchGroupBaselinesAsync(CancellationToken cancellationToken);

    /// <summary>The id of the default baseline for an operating system (an SSM OperatingSystem value such as AMAZON_LINUX_2023).</summary>
    Task<string?> GetDefaultBaselineAsync(string operatingSystem, CancellationToken cancellationToken);

    /// <summary>Sends one AWS-RunPatchBaseline command and returns its command id.</summary>
    Task<string> SendPatchCommandAsync(PatchCommandRequest request, CancellationToken cancellationToken);

    /// <summary>One command by id, or null when SSM no longer knows it.</summary>
    Task<PatchCommand?> GetCommandAsync(string commandId, CancellationToken cancellationToken);

    /// <summary>
    /// Recent AWS-RunPatchBaseline commands requested after the given time, newest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<PatchCommand>> ListRecentPatchCommandsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>Every instance's invocation of a command.</summary>
    Task<IReadOnlyList<PatchInvocation>> ListInvocationsAsync(string commandId, CancellationToken cancellationToken);

    /// <summary>The patch compliance of the given instances; instances never patched are absent.</summary>
    Task<IReadOnlyList<InstancePatchState>> DescribePatchStatesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken);
}
