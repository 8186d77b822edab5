using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// One instance's isolation, step by step: record every interface's groups, move each interface through the
/// allow-all group (so tracked flows become untracked) to the isolation group, then protect and snapshot.
/// </summary>
internal sealed class IsolationRunbook(IIsolationAccount account, IsolationOptions options, IsolationLedger ledger)
{
    /// <summary>
    /// A writer's lease on a record, renewed by each of its writes: after it, a writer that died counts as gone, and the
    /// sweeper or a retry takes the record over.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    // The lease left when the record already says isolated while the last moves on are in flight: one EC2 call.
    private static readonly TimeSpan MovesInFlight = TimeSpan.FromSeconds(10);

    internal async Task<InstanceIsolation> IsolateOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc,
        IsolationRequest request, Task<bool>? protectionRead, IsolationEntry? existing, TimeProvider time, CancellationToken ct)
    {
        var id = subject.InstanceId;
        var held = existing is { IsHeld: true } ? existing : null;
        // Another writer is at work on this instance right now (a turn, a release, the sweeper): exactly one goes on.
        // An interface left in the allow-all group for over a minute is moved on whoever holds the record.
        if (held is not null && held.IsActive(time.GetUtcNow()) && !held.HasOverdueAllowAll(time.GetUtcNow()))
        {
            Observed.Forget(protectionRead);
            return Busy(subject);
        }
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
            plans.Add(Plan(eni, g, held?.OriginalsOf(eni.Id)));
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
        if (done.Count == 0 && held is { State: IsolationEntry.Isolated } && plans.All(p => p.Step is PlanStep.AlreadyIsolated))
        {
            Observed.Forget(protectionRead);
            return AlreadyIsolated(subject, isolationGroup, held);
        }

        // 1. The records, before anything changes: the table's (the truth), and the tags that mirror it (when, who, why, and
        //    termination protection as it was).
        var marker = new Dictionary<string, string>(StringComparer.Ordinal);
        var fresh = !subject.IsMarked;
        if (fresh) marker[SkillTags.IsolatedAt] = IsolationRecord.FormatTime(request.At);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.IsolatedBy)) marker[IsolationRecord.IsolatedBy] =
            IsolationRecord.CleanTagValue(request.RequestedBy);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.Reason)) marker[IsolationRecord.Reason] =
            IsolationRecord.TagFormOfReason(request.Reason);
        // A retry keeps the first reading: by then protection may be on because of us.
        var protectionBefore = held?.TerminationProtectionBefore
            ?? IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore);
        try
        {
            if (protectionBefore is null) protectionBefore = await (protectionRead ?? account.GetTerminationProtectionAsync(id, ct))
                .ConfigureAwait(false);
            else Observed.Forget(protectionRead);
        }
        catch (AwsCallException e)
        {
            done.AddRange(plans.Select(p => new InterfaceResult(p.Eni.Id, p.Originals, InterfaceOutcome.Unchanged)));
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, Ordered(subject, done), isolationGroup, Problems: [e]);
        }
        if (IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore) is null)
            marker[IsolationRecord.TerminationProtectionBefore] = protectionBefore.Value ? "true" : "false";

        var entry = new IsolationEntry(id, IsolationEntry.Isolating, held?.Version ?? 0,
            Merge(held?.Interfaces, plans), protectionBefore, held?.IsolatedBy ?? IsolationRecord.CleanTagValue(request.RequestedBy),
            held?.IsolatedAt ?? request.At, held?.Reason ?? IsolationRecord.CleanRecordValue(request.Reason),
            plans.SelectMany(p => new[] { p.Groups.IsolationId!, p.Groups.AllowAllId! }).Distinct(StringComparer.Ordinal).ToList(),
            time.GetUtcNow(), WorkingUntil: time.GetUtcNow() + Lease);
        var writing = held is null ? ledger.BeginAsync(entry, time.GetUtcNow(), ct)
            : ledger.WriteAsync(entry, held.Version, time.GetUtcNow(), ct);
        var marking = marker.Count > 0 ? account.TagAsync([id], marker, ct) : Task.CompletedTask;

        // 2. Every interface's original groups, mirrored in its tags alongside (issue 18): all are written before anything moves.
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
        IsolationEntry? written;
        AwsCallException? firstError = null;
        try
        {
            written = await writing.ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            written = null;
            firstError = e;
        }
        try
        {
            await marking.ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            firstError ??= e;
        }
        var recorded = await recording.ConfigureAwait(false);
        if (written is null || firstError is not null)
        {
            // Without both records nothing moves. What was written matches the groups as they are, and the next isolation (or
            // the sweeper, for a record in isolating) takes it from there.
            done.AddRange(plans.Select(p => new InterfaceResult(p.Eni.Id, p.Originals, InterfaceOutcome.Unchanged)));
            if (firstError is null) return Busy(subject);
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, Ordered(subject, done), isolationGroup,
                Problems: [firstError]);
        }
        var writer = new RecordWriter(ledger, written, time);

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
        // The record follows the moves without waiting for them (issue 18): each interface's entry into the allow-all group is
        // written alongside its move on. When the last one is in, that write already says isolated, with a short lease that
        // covers the moves still in flight; a move on that then fails is corrected after (only on that path). Should the
        // container die between, the sweeper finds the interface in the allow-all group by EC2's own word.
        var marks = new List<Task>();
        var moving = recorded.Count(r => r.Error is null
            && r.Plan.Step is PlanStep.RecordAndSwap or PlanStep.Swap or PlanStep.SwapWithoutRecord);
        var ready = done.Count == 0 && recorded.All(r => r.Error is null);
        var opened = 0;
        void Opened(string eniId)
        {
            Protect();
            var at = time.GetUtcNow().ToUnixTimeSeconds();
            var last = Interlocked.Increment(ref opened) == moving && ready;
            lock (marks)
            {
                marks.Add(writer.ChangeAsync(e => e with
                {
                    State = last ? IsolationEntry.Isolated : IsolationEntry.Isolating,
                    WorkingUntil = time.GetUtcNow() + (last ? MovesInFlight : Lease),
                    Interfaces = e.Interfaces.Select(i => i.Id == eniId ? i with { AllowAllSince = at } : i).ToList(),
                }));
            }
        }
        var moved = await Task.WhenAll(recorded.Select(r => r switch
        {
            { Error: { } e } => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.Unchanged, e)),
            { Plan.Step: PlanStep.AlreadyIsolated }
                => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.AlreadyIsolated)),
            { Plan.Step: PlanStep.IsolatedWithoutRecord }
                => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, [], InterfaceOutcome.IsolatedWithoutRecord)),
            _ => MoveAsync(r.Plan, () => Opened(r.Plan.Eni.Id), ct),
        })).ConfigureAwait(false);
        done.AddRange(moved);

        var problems = new List<AwsCallException>();
        if (groupError is not null) problems.Add(groupError);
        var anyCutOff = done.Any(r => r.IsCutOff);
        var allCutOff = done.All(r => r.IsCutOff);

        // The record says what is true now. Nothing more to write when the last entry already said isolated and it was so;
        // otherwise (a move failed, or nothing moved) one more write, alongside protection and the snapshots.
        Task[] pendingMarks;
        lock (marks) pendingMarks = [.. marks];
        var saidIsolated = moving > 0 && Volatile.Read(ref opened) == moving && ready;
        var finishing = FinishAsync(writer, pendingMarks, saidIsolated && allCutOff ? null : e => e with
        {
            State = allCutOff ? IsolationEntry.Isolated : IsolationEntry.Isolating,
            WorkingUntil = null,
        });

        // 4. Termination protection, so that the evidence cannot be terminated by mistake.
        if (protecting is null && anyCutOff && !protectionOn) Protect();

        // 5. Snapshots of the disks as they were, once per isolation.
        var snapshots = new List<string>();
        if (anyCutOff && held is null && options.SnapshotOnIsolate && subject.VolumeIds.Count > 0)
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
        if (protecting is not null)
        {
            if (await protecting.ConfigureAwait(false) is { } e) problems.Add(e);
            else protectionOn = true;
        }
        if (await finishing.ConfigureAwait(false) is { } recordError) problems.Add(recordError);

        var cutOff = done.Count(r => r.IsCutOff);
        var outcome = cutOff == done.Count ? IsolationOutcome.Isolated : cutOff == 0 ? IsolationOutcome.Failed : IsolationOutcome.Partial;
        return new InstanceIsolation(id, subject, outcome, Ordered(subject, done), isolationGroup, protectionBefore, protectionOn,
            snapshots, problems, unsafeGroup);
    }

    // The allow-all entries first (they may still be on their way), then the correction, if one is needed.
    private static async Task<AwsCallException?> FinishAsync(RecordWriter writer, Task[] marks,
        Func<IsolationEntry, IsolationEntry>? change)
    {
        await Task.WhenAll(marks).ConfigureAwait(false);
        if (change is not null) await writer.ChangeAsync(change).ConfigureAwait(false);
        return writer.Error;
    }

    // The record's interfaces: what it held already (the truth for those), and the plans' originals for the rest.
    private static List<RecordedInterface> Merge(IReadOnlyList<RecordedInterface>? held, List<InterfacePlan> plans)
    {
        var result = held?.ToList() ?? [];
        foreach (var p in plans.Where(p => p.Originals.Count > 0 && result.All(r => r.Id != p.Eni.Id)))
            result.Add(new RecordedInterface { Id = p.Eni.Id, Groups = [.. p.Originals] });
        return result;
    }

    private static InstanceIsolation Busy(IsolationSubject subject) =>
        new(subject.InstanceId, subject, IsolationOutcome.Busy,
            subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.GroupIds, InterfaceOutcome.Unchanged)).ToList());

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

    private static InterfacePlan Plan(InterfaceState eni, VpcGroups g, IReadOnlyList<string>? recorded)
    {
        var current = eni.GroupIds;
        // The table's record, when it has this interface, is the truth; the tags are only a mirror.
        var saved = recorded is { Count: > 0 } ? new SavedGroups(SavedGroupsState.Saved, recorded) : eni.Saved;
        if (recorded is { Count: > 0 } && !current.Any(g.IsSkillGroup)) return new InterfacePlan(eni, g, PlanStep.RecordAndSwap, recorded);
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

    internal static InstanceIsolation AlreadyIsolated(IsolationSubject subject, string? isolationGroup, IsolationEntry record) => new(
        subject.InstanceId, subject, IsolationOutcome.AlreadyIsolated,
        subject.Interfaces.Select(i => new InterfaceResult(i.Id, record.OriginalsOf(i.Id) ?? [], InterfaceOutcome.AlreadyIsolated))
            .ToList(),
        isolationGroup ?? (subject.Interfaces is [var first, ..] && first.GroupIds is [var group, ..] ? group : null),
        record.TerminationProtectionBefore, TerminationProtectionOn: true);

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
