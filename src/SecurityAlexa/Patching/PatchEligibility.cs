using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// Decides which instances a patch command may go to. Nothing is ever dropped silently: the rest are skipped with a reason.
/// </summary>
internal static class PatchEligibility
{
    /// <summary>Reads the instances' isolation records and SSM state and sorts them into eligible and skipped.</summary>
    public static async Task<PatchAssessment> AssessAsync(IPatchManager patches, PatchIsolationCheck isolation,
        IReadOnlyList<InstanceInfo> instances, CancellationToken cancellationToken)
    {
        // Every instance's isolation record is read alongside SSM. Protected and stopped instances are skipped whatever SSM
        // says, so SSM is asked only about the rest.
        var marking = isolation.ReadAsync(instances, cancellationToken);
        var ask = instances.Where(i => !IsProtected(i) && IsRunning(i)).Select(i => i.Id).Distinct(StringComparer.Ordinal).ToList();
        var agents = ask.Count == 0 ? Task.FromResult<IReadOnlyList<ManagedNode>>([])
            : patches.DescribeManagedNodesAsync(ask, cancellationToken);
        await Observed.WhenAllAsync(marking, agents).ConfigureAwait(false);
        var marks = await marking.ConfigureAwait(false);
        return Assess(instances, await agents.ConfigureAwait(false), marks);
    }

    /// <summary>Sorts instances given their SSM state and which of them this skill isolated (by its records).</summary>
    public static PatchAssessment Assess(IReadOnlyList<InstanceInfo> instances, IReadOnlyList<ManagedNode> nodes, IsolationMarks marks)
    {
        var byId = new Dictionary<string, ManagedNode>(StringComparer.Ordinal);
        foreach (var node in nodes) byId[node.InstanceId] = node;
        var eligible = new List<PatchTarget>();
        var skipped = new List<SkippedInstance>();
        foreach (var instance in instances.DistinctBy(i => i.Id))
        {
            if (IsProtected(instance)) skipped.Add(new(instance, SkipReason.Protected));
            else if (marks.IsIsolated(instance)) skipped.Add(new(instance, SkipReason.Isolated));
            else if (!IsRunning(instance)) skipped.Add(new(instance, SkipReason.NotRunning));
            else if (!byId.TryGetValue(instance.Id, out var node)) skipped.Add(new(instance, SkipReason.NoAgent));
            else if (!node.IsOnline) skipped.Add(new(instance, SkipReason.AgentNotResponding));
            else eligible.Add(new PatchTarget(instance, node));
        }
        return new PatchAssessment(eligible, skipped)
        {
            ForeignMarked = instances.DistinctBy(i => i.Id).Where(i => !IsProtected(i) && marks.IsForeign(i)).ToList(),
        };
    }

    /// <summary>True when the instance is tagged SecurityAlexa:Protected (any value): the skill never changes it.</summary>
    public static bool IsProtected(InstanceInfo instance) => instance.Tag(SkillTags.Protected) is not null;

    private static bool IsRunning(InstanceInfo instance) => string.Equals(instance.State, "running", StringComparison.Ordinal);
}
