using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// Reads chosen or confirmed instances again, because time has passed since they were offered or read back: the
/// instances and their agents (and the patch groups) at once, so a slow AWS costs one call's
/// time, not two. Eligibility is then sorted locally.
/// </summary>
internal sealed class PatchRecheck(ITargetResolver targets, IPatchManager patches, PatchIsolationCheck isolation)
{
    /// <summary>The instances (in the given order), their eligibility, and the patch groups still on their way.</summary>
    public async Task<(IReadOnlyList<InstanceInfo> Ordered, PatchAssessment Assessment,
        Task<IReadOnlyList<PatchGroupBaseline>> Groups)> DescribeAndAssessAsync(TurnContext turn, IReadOnlyList<string> ids)
    {
        var describing = targets.DescribeAsync(ids, turn.Cancellation);
        var agents = patches.DescribeManagedNodesAsync(ids, turn.Cancellation);
        var groups = patches.ListPatchGroupBaselinesAsync(turn.Cancellation);
        // Every instance's isolation record, tagged or not, read alongside.
        var marking = isolation.ReadIdsAsync(ids, turn.Cancellation);
        await Observed.WhenAllAsync(describing, agents, marking).ConfigureAwait(false);
        IReadOnlyList<InstanceInfo> ordered;
        IReadOnlyList<ManagedNode> nodes;
        IsolationMarks marks;
        try
        {
            var instances = await describing.ConfigureAwait(false);
            nodes = await agents.ConfigureAwait(false);
            ordered = ids.Select(id => instances.FirstOrDefault(i => i.Id == id)).OfType<InstanceInfo>().ToList();
            marks = await marking.ConfigureAwait(false);
        }
        catch
        {
            Observed.Forget(groups);
            throw;
        }
        return (ordered, PatchEligibility.Assess(ordered, nodes, marks), groups);
    }

    /// <summary>After the yes: what could have changed since the read-back (isolation, agents, instances gone).</summary>
    public async Task<ConfirmedTargets> BeforeSendAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        var describing = targets.DescribeAsync(pending.InstanceIds, turn.Cancellation);
        var agents = patches.DescribeManagedNodesAsync(pending.InstanceIds, turn.Cancellation);
        var marking = isolation.ReadIdsAsync(pending.InstanceIds, turn.Cancellation);
        await Observed.WhenAllAsync(describing, agents, marking).ConfigureAwait(false);
        var instances = await describing.ConfigureAwait(false);
        var ordered = pending.InstanceIds.Select(id => instances.FirstOrDefault(i => i.Id == id)).OfType<InstanceInfo>().ToList();
        var gone = pending.InstanceIds.Count - ordered.Count;
        IsolationMarks marks;
        try
        {
            marks = await marking.ConfigureAwait(false);
        }
        catch (AwsContract.AwsCallException e)
        {
            // Without the records no instance can be told apart from an isolated one: nothing goes, and the caller asks again.
            Observed.Forget(agents);
            return new ConfirmedTargets(new PatchAssessment([], []), gone, null, e);
        }
        var assessment = PatchEligibility.Assess(ordered, await agents.ConfigureAwait(false), marks);
        var goneSpeech = gone > 0
            ? lang.Say(gone == 1 ? "patch.skip.gone.one" : "patch.skip.gone.other", ("what", lang.Count(gone, "instance"))) : null;
        return new ConfirmedTargets(assessment, gone, goneSpeech);
    }
}
