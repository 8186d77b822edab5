using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>Why an instance is left out of a patch run.</summary>
internal enum SkipReason
{
    /// <summary>This skill isolated it; patching (and rebooting) it would disturb the investigation.</summary>
    Isolated,
    /// <summary>It is stopped or stopping, so no command can reach it.</summary>
    NotRunning,
    /// <summary>Systems Manager does not manage it: no SSM agent, or no instance profile.</summary>
    NoAgent,
    /// <summary>The agent is registered but not answering (ConnectionLost, Inactive).</summary>
    AgentNotResponding,
}

/// <summary>An instance that can be patched, with what Systems Manager knows about it.</summary>
internal sealed record PatchTarget(InstanceInfo Instance, ManagedNode Node)
{
    /// <summary>The instance id.</summary>
    public string Id => Instance.Id;

    /// <summary>The name to speak.</summary>
    public string Name => Instance.DisplayName;
}

/// <summary>An instance left out, and why.</summary>
internal sealed record SkippedInstance(InstanceInfo Instance, SkipReason Reason);

/// <summary>The instances that can be patched and the ones that cannot, in the order they were given.</summary>
internal sealed record PatchAssessment(IReadOnlyList<PatchTarget> Eligible, IReadOnlyList<SkippedInstance> Skipped);

/// <summary>Decides which instances a patch command may go to. Nothing is ever dropped silently: the rest are skipped with a reason.</summary>
internal static class PatchEligibility
{
    /// <summary>Reads the instances' SSM state and sorts them into eligible and skipped.</summary>
    public static async Task<PatchAssessment> AssessAsync(IPatchManager patches, IReadOnlyList<InstanceInfo> instances, CancellationToken cancellationToken)
    {
        // Isolated and stopped instances are skipped whatever SSM says, so SSM is asked only about the rest.
        var ask = instances.Where(i => !IsIsolated(i) && IsRunning(i)).Select(i => i.Id).Distinct(StringComparer.Ordinal).ToList();
        var nodes = ask.Count == 0 ? [] : await patches.DescribeManagedNodesAsync(ask, cancellationToken).ConfigureAwait(false);
        return Assess(instances, nodes);
    }

    /// <summary>Sorts instances given their SSM state.</summary>
    public static PatchAssessment Assess(IReadOnlyList<InstanceInfo> instances, IReadOnlyList<ManagedNode> nodes)
    {
        var byId = new Dictionary<string, ManagedNode>(StringComparer.Ordinal);
        foreach (var node in nodes) byId[node.InstanceId] = node;
        var eligible = new List<PatchTarget>();
        var skipped = new List<SkippedInstance>();
        foreach (var instance in instances.DistinctBy(i => i.Id))
        {
            if (IsIsolated(instance)) skipped.Add(new(instance, SkipReason.Isolated));
            else if (!IsRunning(instance)) skipped.Add(new(instance, SkipReason.NotRunning));
            else if (!byId.TryGetValue(instance.Id, out var node)) skipped.Add(new(instance, SkipReason.NoAgent));
            else if (!node.IsOnline) skipped.Add(new(instance, SkipReason.AgentNotResponding));
            else eligible.Add(new PatchTarget(instance, node));
        }
        return new PatchAssessment(eligible, skipped);
    }

    /// <summary>True when this skill's isolation tag is on the instance.</summary>
    public static bool IsIsolated(InstanceInfo instance) => instance.Tag(SkillTags.IsolatedAt) is not null;

    private static bool IsRunning(InstanceInfo instance) => string.Equals(instance.State, "running", StringComparison.Ordinal);
}
