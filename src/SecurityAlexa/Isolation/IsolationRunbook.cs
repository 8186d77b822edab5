using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// One instance's isolation, step by step: record every interface's groups, move each interface through the
/// allow-all group (so tracked flows become untracked) to the isolation group, then protect and snapshot.
/// </summary>
internal sealed class IsolationRunbook(IIsolationAccount account, IsolationOptions options)
{
    internal async Task<InstanceIsolation> IsolateOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc,
        IsolationRequest request,
        Task<bool>? protectionRead, CancellationToken ct)
    {
        var id = subject.InstanceId;
        var done = new List<InterfaceResult>();
        var plans = new List<InterfacePlan>();
        foreach (var eni in subject.Interfaces.OrderBy(i => i.DeviceIndex))
        {
            var g = (eni.VpcId ?? subject.VpcId) is { } vpc ? groupsByVpc.GetValueOrDefault(vpc) : null;
            if (g is not { IsReady: true })
            {
                done.Add(new InterfaceResult(eni.Id, eni.GroupIds, InterfaceOutcome.Unchanged, g?.Error));
                continue;
            }
            plans.Add(Plan(eni, g));
        }
        var unsafeGroup = groupsByVpc.Values.FirstOrDefault(g => g.UnsafeGroupId is not null
            && subject.Interfaces.Any(i => (i.VpcId ?? subject.VpcId) == g.VpcId))?.UnsafeGroupId;
        var groupError = done.Select(d => d.Error).FirstOrDefault(e => e is not null);
        var isolationGroup = plans.FirstOrDefault()?.Groups.IsolationId;

        if (plans.Count == 0)
        {
            Observed.Forget(protectionRead);
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, done, Problems: groupError is null ? [] : [groupError],
                UnsafeGroupId: unsafeGroup);
        }
        if (done.Count == 0 && subject.IsMarked && plans.All(p => p.Step is PlanStep.AlreadyIsolated))
        {
            Observed.Forget(protectionRead);
            return AlreadyIsolated(subject, isolationGroup);
        }

        // 1. The instance's own record, before anything changes: when, who, why, and termination protection as it was.
        var marker = new Dictionary<string, string>(StringComparer.Ordinal);
        var fresh = !subject.IsMarked;
        if (fresh) marker[SkillTags.IsolatedAt] = IsolationRecord.FormatTime(request.At);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.IsolatedBy)) marker[IsolationRecord.IsolatedBy] =
            IsolationRecord.CleanTagValue(request.RequestedBy);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.Reason)) marker[IsolationRecord.Reason] =
            IsolationRecord.CleanTagValue(request.Reason);
        // A retry keeps the first reading: by then protection may be on because of us.
        var protectionBefore = IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore);
        try
        {
            if (protectionBefore is null)
            {
                protectionBefore = await (protectionRead ?? account.GetTerminationProtectionAsync(id, ct)).ConfigureAwait(false);
                marker[IsolationRecord.TerminationProtectionBefore] = protectionBefore.Value ? "true" : "false";
            }
        }
        catch (AwsCallException e)
        {
            done.AddRange(plans.Select(p => new InterfaceResult(p.Eni.Id, p.Originals, InterfaceOutcome.Unchanged)));
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, Ordered(subject, done), isolationGroup, Problems: [e]);
        }
        var marking = marker.Count > 0 ? account.TagAsync([id], marker, ct) : Task.CompletedTask;

        // 2. Every interface's original groups, written alongside the instance's record (issue 18): both are records, and
        //    nothing moves until both are written.
        var recording = Task.WhenAll(plans.Select(async p =>
        {
            if (p.Step != PlanStep.RecordAndSwap) return (Plan: p, Error: (AwsCallException?)null);
            try
            {
                await account.TagAsync([p.Eni.Id], IsolationRecord.ForInterface(p.Originals), ct).ConfigureAwait(false);
                return (Plan: p, Error: null);
            }
            catch (AwsCallException e)
            {
                return (Plan: p, Error: e);
            }
        }));
        try
        {
            await marking.ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // Without the instance's record nothing moves. An interface record written alongside matches its groups as they
            // are, and the next isolation replaces it (Plan), so it is left.
            await recording.ConfigureAwait(false);
            done.AddRange(plans.Select(p => new InterfaceResult(p.Eni.Id, p.Originals, InterfaceOutcome.Unchanged)));
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, Ordered(subject, done), isolationGroup, Problems: [e]);
        }
        var recorded = await recording.ConfigureAwait(false);

        // 3. The two-step move, only for interfaces whose originals are safely recorded. Termination protection (4.) is
        //    turned on as soon as an interface is in the allow-all group, alongside its move on to isolation (issue 18).
        var protectionOn = protectionBefore == true;
        Task<AwsCallException?>? protecting = null;
        var protectGate = new Lock();
        void Protect()
        {
            if (protectionOn) return;
            lock (protectGate) protecting ??= TurnOnProtectionAsync(id, ct);
        }
        var moved = await Task.WhenAll(recorded.Select(r => r switch
        {
            { Error: { } e } => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.Unchanged, e)),
            { Plan.Step: PlanStep.AlreadyIsolated }
                => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.AlreadyIsolated)),
            { Plan.Step: PlanStep.IsolatedWithoutRecord }
                => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, [], InterfaceOutcome.IsolatedWithoutRecord)),
            _ => MoveAsync(r.Plan, Protect, ct),
        })).ConfigureAwait(false);
        done.AddRange(moved);

        var problems = new List<AwsCallException>();
        if (groupError is not null) problems.Add(groupError);
        var anyCutOff = done.Any(r => r.IsCutOff);

        // 4. Termination protection, so that the evidence cannot be terminated by mistake.
        if (protecting is null && anyCutOff && !protectionOn) Protect();
        if (protecting is not null)
        {
            if (await protecting.ConfigureAwait(false) is { } e) problems.Add(e);
            else protectionOn = true;
        }

        // 5. Snapshots of the disks as they were, once per isolation.
        var snapshots = new List<string>();
        if (anyCutOff && fresh && options.SnapshotOnIsolate && subject.VolumeIds.Count > 0)
        {
            try
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [IsolationRecord.SnapshotOf] = id };
                snapshots.AddRange(await account.SnapshotInstanceAsync(
                    id, $"SecurityAlexa isolation of {id} at {IsolationRecord.FormatTime(request.At)}", tags, ct).ConfigureAwait(false));
            }
            catch (AwsCallException e)
            {
                problems.Add(e);
            }
        }

        var cutOff = done.Count(r => r.IsCutOff);
        var outcome = cutOff == done.Count ? IsolationOutcome.Isolated : cutOff == 0 ? IsolationOutcome.Failed : IsolationOutcome.Partial;
        return new InstanceIsolation(id, subject, outcome, Ordered(subject, done), isolationGroup, protectionBefore, protectionOn,
            snapshots, problems, unsafeGroup);
    }

    private async Task<AwsCallException?> TurnOnProtectionAsync(string instanceId, CancellationToken ct)
    {
        try
        {
            await account.SetTerminationProtectionAsync(instanceId, true, ct).ConfigureAwait(false);
            return null;
        }
        catch (AwsCallException e)
        {
            return e;
        }
    }

    // opened: called once the interface is in the allow-all group; from then on the instance needs protecting.
    private async Task<InterfaceResult> MoveAsync(InterfacePlan plan, Action opened, CancellationToken ct)
    {
        var eni = plan.Eni;
        var recordedOutcome = plan.Step == PlanStep.SwapWithoutRecord ? InterfaceOutcome.IsolatedWithoutRecord : InterfaceOutcome.Isolated;
        try
        {
            await account.SetInterfaceGroupsAsync(eni.Id, [plan.Groups.AllowAllId!], ct).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return new InterfaceResult(eni.Id, plan.Originals, InterfaceOutcome.Unchanged, e);
        }

        // The interface is open to everything now. The next call must not be cut short by the turn's
        // deadline: leaving it here would be worse than answering late.
        opened();
        try
        {
            await account.SetInterfaceGroupsAsync(eni.Id, [plan.Groups.IsolationId!], CancellationToken.None).ConfigureAwait(false);
            return new InterfaceResult(eni.Id, plan.Originals, recordedOutcome);
        }
        catch (AwsCallException e)
        {
            // Back where it was, if that was not itself open.
            var back = eni.GroupIds.Contains(plan.Groups.AllowAllId!, StringComparer.Ordinal) ? plan.Originals : eni.GroupIds;
            if (back.Count > 0 && !back.Contains(plan.Groups.AllowAllId!, StringComparer.Ordinal))
            {
                try
                {
                    await account.SetInterfaceGroupsAsync(eni.Id, back, CancellationToken.None).ConfigureAwait(false);
                    return new InterfaceResult(eni.Id, plan.Originals, InterfaceOutcome.Unchanged, e);
                }
                catch (AwsCallException)
                {
                    // Reported below as open: the worst case, and said out loud.
                }
            }
            return new InterfaceResult(eni.Id, plan.Originals, InterfaceOutcome.LeftOpen, e);
        }
    }

    private static InterfacePlan Plan(InterfaceState eni, VpcGroups g)
    {
        var current = eni.GroupIds;
        var saved = eni.Saved;
        // Groups that include none of the skill's are the originals: record them (a stale record is replaced).
        if (!current.Any(g.IsSkillGroup)) return new InterfacePlan(eni, g, PlanStep.RecordAndSwap, current);
        // In a skill group already: the saved record is the truth and is never overwritten.
        if (current.Count == 1 && current[0] == g.IsolationId)
            return saved.IsSaved ? new InterfacePlan(eni, g, PlanStep.AlreadyIsolated, saved.GroupIds)
                : new InterfacePlan(eni, g, PlanStep.IsolatedWithoutRecord, []);
        return saved.IsSaved ? new InterfacePlan(eni, g, PlanStep.Swap, saved.GroupIds)
            : new InterfacePlan(eni, g, PlanStep.SwapWithoutRecord, []);
    }

    private static List<InterfaceResult> Ordered(IsolationSubject subject, List<InterfaceResult> results) =>
        subject.Interfaces.OrderBy(i => i.DeviceIndex).Select(i => results.First(r => r.InterfaceId == i.Id)).ToList();

    internal static InstanceIsolation AlreadyIsolated(IsolationSubject subject, string? isolationGroup) => new(
        subject.InstanceId, subject, IsolationOutcome.AlreadyIsolated,
        subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.Saved.GroupIds, InterfaceOutcome.AlreadyIsolated)).ToList(),
        isolationGroup ?? (subject.Interfaces is [var first, ..] && first.GroupIds is [var group, ..] ? group : null),
        IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore), TerminationProtectionOn: true);

    private enum PlanStep
    {
        RecordAndSwap,
        Swap,
        SwapWithoutRecord,
        AlreadyIsolated,
        IsolatedWithoutRecord,
    }

    private sealed record InterfacePlan(InterfaceState Eni, VpcGroups Groups, PlanStep Step, IReadOnlyList<string> Originals);
}
