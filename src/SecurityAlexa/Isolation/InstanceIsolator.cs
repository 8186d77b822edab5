using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.State;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolates and releases instances as AWS's own incident-response runbook does: record every
/// interface's groups first, then move each interface to an allow-all group (which makes tracked
/// flows untracked) and on to the isolation group (no rules at all). Every decision is taken here
/// from what <see cref="IIsolationAccount"/> reports and the isolation record in the state table says (the truth;
/// tags mirror it). This class
/// orchestrates; the per-instance steps are <see cref="IsolationRunbook"/> and <see cref="ReleaseRunbook"/>, and
/// the VPC's groups come from <see cref="IsolationGroups"/>.
/// </summary>
internal sealed class InstanceIsolator(IIsolationAccount account, IsolationOptions options, IStateTable state, TimeProvider time,
    IWorkQueue? queue = null, ContainmentSteps? containment = null, IsolationScope? scope = null)
{
    // Calls one instance makes one after another once the reads are in: the records (table and tags together), allow-all, then
    // isolation with protection on beside it. CallsFor adds the protection read when it was not made beside the describe, the
    // record's second write when several interfaces mark their moves (RecordWriter), and the snapshot. With the measured
    // round trip this says whether it still fits.
    private const int CallsPerInstance = 3;

    // Finding or creating the VPC's groups when the reads beside the describe did not find them ready: a find, a create, its
    // record in the table, a rule change.
    private const int CallsForGroups = 4;

    // More pages than this of isolated instances is more than anyone can listen to.
    private const int MaxStatusPages = 5;

    private readonly IsolationLedger _ledger = new(state, scope);
    private readonly IsolationGroups _groups = new(account, new IsolationLedger(state, scope), time);
    private readonly IsolationRunbook _runbook = new(account, options, new IsolationLedger(state, scope));
    private readonly ReleaseRunbook _release = new(account, options, new IsolationLedger(state, scope), time);

    /// <summary>The account and region this isolator acts in; null at home when only one is configured.</summary>
    public IsolationScope? Scope => scope;

    /// <summary>The isolation records.</summary>
    internal IsolationLedger Ledger => _ledger;

    /// <summary>
    /// What containment will change on each instance, read for the read-back within <paramref name="limit"/>; empty when
    /// containment is off.
    /// </summary>
    public Task<IReadOnlyList<ContainmentPlan>> PlanContainmentAsync(IReadOnlyList<(string InstanceId, string? VpcId)> instances,
        TimeSpan limit, CancellationToken cancellationToken) =>
        containment is null ? Task.FromResult<IReadOnlyList<ContainmentPlan>>([])
            : containment.PlanAsync(instances, limit, cancellationToken);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// The plan of an instance whose containment was not read (every step "where it applies"); null when containment is off.
    /// </summary>
    public ContainmentPlan? UnknownContainment(string instanceId) => containment?.Unknown(instanceId);

    /// <summary>The instances handed on to the work queue and not done yet, for any session's status.</summary>
    internal QueuedIsolations Queued { get; } = new(state, time, scope);

    /// <summary>Also read by the handlers, for the trigger tag they name in speech and chat.</summary>
    public IsolationOptions Options => options;

    /// <summary>
    /// Isolates the instances. Instances that cannot finish within the budget are handed on to the work queue,
    /// one <c>isolate-instance</c> unit each; without a queue they are left for the caller to report.
    /// </summary>
    public async Task<IsolationReport> IsolateAsync(IReadOnlyList<string> instanceIds, IsolationRequest request, IsolationBudget budget,
        CancellationToken cancellationToken)
    {
        var finishBy = budget.FinishBy;
        var began = time.GetUtcNow();
        // Containment's steps run before the swap, one call after another, so they count in whether an instance fits (never
        // for longer than containment's own time limit, which cuts them short). Where what does not fit cannot be handed on
        // (a queued unit, the sweeper) the swap is not held back for them: containment is cut short instead, since the
        // network isolation matters most, and its steps are retried.
        var containmentCalls = containment is null || queue is null ? 0 : request.ContainmentRoundTrips ?? containment.WorstCaseRoundTrips;
        // Read alongside the instances, since the ids (and the VPCs the read-back saw) are known: the records, the groups,
        // and termination protection as it is. All only read; no round trip added (issue 18).
        var reading = RecordsAsync(instanceIds, cancellationToken);
        var prefetched = request.VpcHint is { Count: > 0 } hint ? _groups.Prefetch(hint, cancellationToken) : null;
        var early = instanceIds.Count <= options.Parallelism
            ? instanceIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id,
                id => account.GetTerminationProtectionAsync(id, cancellationToken), StringComparer.Ordinal)
            : [];
        IReadOnlyList<IsolationSubject> subjects;
        try
        {
            subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Observed.Forget(reading);
            LetGo(early, prefetched);
            throw;
        }
        var records = await reading.ConfigureAwait(false);
        // The turn's replay claim ran beside the reads (issue 18): won, or nothing is written or changed.
        if (request.MayChange is { } mayChange && !await mayChange().ConfigureAwait(false))
        {
            LetGo(early, prefetched);
            return new IsolationReport([]);
        }
        var roundTrip = time.GetUtcNow() - began;
        var containing = containmentCalls == 0 ? TimeSpan.Zero : Min(roundTrip * containmentCalls, containment!.TimeLimit);
        var byId = subjects.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var results = new Dictionary<string, InstanceIsolation>(StringComparer.Ordinal);

        foreach (var id in instanceIds.Where(id => !byId.ContainsKey(id)))
            results[id] = new InstanceIsolation(id, null, IsolationOutcome.NotFound, []);

        // Already isolated (by the record, and the group's name, so without a call): nothing to change.
        var todo = new List<IsolationSubject>();
        foreach (var subject in subjects)
        {
            var record = records.GetValueOrDefault(subject.InstanceId);
            // A terminated instance's interfaces are gone or going: nothing to isolate, and it is said why.
            if (subject.IsTerminated)
                results[subject.InstanceId] = new InstanceIsolation(subject.InstanceId, subject, IsolationOutcome.Terminated, []);
            else if (request.RequiredTag is { } required && subject.Tags.GetValueOrDefault(required.Key) != required.Value)
                results[subject.InstanceId] = new InstanceIsolation(subject.InstanceId, subject, IsolationOutcome.NotRequested, []);
            else if (record.Error is { } unreadable)
                results[subject.InstanceId] = new InstanceIsolation(subject.InstanceId, subject, IsolationOutcome.Failed,
                    subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.GroupIds, InterfaceOutcome.Unchanged)).ToList(),
                    Problems: [unreadable]);
            else if (record.Entry is { } held && IsIsolated(subject, held))
                results[subject.InstanceId] = IsolationRunbook.AlreadyIsolated(subject, null, held);
            // Protected means never changed. Only an isolation this skill has already begun (its record) is finished, so the tag
            // cannot be used to leave an interface half-moved.
            else if (record.Entry is null && subject.Tags.ContainsKey(SkillTags.Protected))
                results[subject.InstanceId] = new InstanceIsolation(subject.InstanceId, subject, IsolationOutcome.Protected, []);
            else todo.Add(subject);
        }

        if (todo.Count > 0)
        {
            int CallsFor(IsolationSubject s) => CallsPerInstance + (early.Count > 0 ? 0 : 1) + (s.Interfaces.Count > 1 ? 1 : 0)
                + (options.SnapshotOnIsolate && s.VolumeIds.Count > 0 ? 1 : 0);
            var groupCalls = prefetched is not null && todo.SelectMany(VpcsOf).All(vpc =>
                IsolationGroups.NeedsNoCalls(prefetched.GetValueOrDefault(vpc))) ? 0 : CallsForGroups;
            if (time.GetUtcNow() + roundTrip * (todo.Max(CallsFor) + groupCalls) + containing > finishBy)
            {
                foreach (var s in todo) results[s.InstanceId] = Deferred(s);
            }
            else
            {
                // Termination protection as it is now is read while the groups are found: both only read (issue 18).
                var protections = todo.Count <= options.Parallelism
                    ? todo.Where(s => IsolationRecord.ReadBool(s.Tags, IsolationRecord.TerminationProtectionBefore) is null
                            && records.GetValueOrDefault(s.InstanceId).Entry?.TerminationProtectionBefore is null)
                        .ToDictionary(s => s.InstanceId, s => early.GetValueOrDefault(s.InstanceId)
                            ?? account.GetTerminationProtectionAsync(s.InstanceId, cancellationToken), StringComparer.Ordinal)
                    : [];
                foreach (var (id, t) in early) if (!protections.ContainsKey(id)) Observed.Forget(t);
                var groups = await _groups.EnsureAsync(todo.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: true,
                    cancellationToken, prefetched).ConfigureAwait(false);
                using var gate = new SemaphoreSlim(options.Parallelism);
                var work = todo.Select(async subject =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        // Start only what can finish in this turn; the rest goes on in the background.
                        var protection = protections.GetValueOrDefault(subject.InstanceId);
                        if (time.GetUtcNow() + roundTrip * CallsFor(subject) + containing > finishBy)
                        {
                            Observed.Forget(protection);
                            return Deferred(subject);
                        }
                        // Auto Scaling, load balancers, volumes, role sessions first (issue 15 §3); they never stop the swap.
                        var contained = containment is null ? null : await containment.ContainAsync(subject, request.At,
                            finishBy - roundTrip * CallsFor(subject), cancellationToken).ConfigureAwait(false);
                        return await _runbook.IsolateOneAsync(subject, groups, request, protection,
                            records.GetValueOrDefault(subject.InstanceId).Entry, time, cancellationToken).ConfigureAwait(false)
                            with { Containment = contained };
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToList();
                foreach (var result in await Task.WhenAll(work).ConfigureAwait(false)) results[result.InstanceId] = result;
            }
        }

        // Reads started early and not needed (deferred, or already isolated) are let go.
        LetGo(early, prefetched);

        // Already isolated: containment steps that failed or never ran are retried (each is idempotent).
        if (containment is not null)
        {
            var again = await Task.WhenAll(results.Values.Where(r => r is { Outcome: IsolationOutcome.AlreadyIsolated, Subject: not null,
                Containment: null }).ToList().Select(async r => r with
            {
                Containment = await containment.ContainAsync(r.Subject!, request.At, finishBy, cancellationToken).ConfigureAwait(false),
            })).ConfigureAwait(false);
            foreach (var r in again) results[r.InstanceId] = r;
        }

        var ordered = instanceIds.Distinct(StringComparer.Ordinal).Select(id => results[id]).ToList();
        var deferred = ordered.Where(r => r.Outcome == IsolationOutcome.Deferred).Select(r => r.InstanceId).ToList();
        if (deferred.Count == 0) return new IsolationReport(ordered);
        if (queue is null) return new IsolationReport(ordered);
        // Noted in the table alongside the enqueue (no round trip added), so that every session hears they are under way.
        var noting = Queued.AddAsync(ordered.Where(r => r.Outcome == IsolationOutcome.Deferred)
            .Select(r => (r.InstanceId, r.Subject?.DisplayName ?? r.InstanceId)).ToList(), cancellationToken);
        var units = deferred.Select(id => (Id: id, Item: IsolateInstanceWork.For(id, request) with { Scope = scope?.Key })).ToList();
        var sent = await queue.EnqueueAsync(units.Select(u => u.Item).ToList(), cancellationToken).ConfigureAwait(false);
        await noting.ConfigureAwait(false);
        if (sent.AllWent) return new IsolationReport(ordered, Continuing: true);
        // Not on the queue after all: those do not continue, so they are not said to (and their notes go).
        var left = units.Where(u => sent.NotSent.Contains(u.Item)).Select(u => u.Id).ToList();
        // At once, not one after another: this is the turn's time, and DoneAsync never throws.
        await Task.WhenAll(left.Select(id => Queued.DoneAsync(id, CancellationToken.None))).ConfigureAwait(false);
        return new IsolationReport(ordered, Continuing: left.Count < deferred.Count, ContinuationError: sent.Failure,
            NotHandedOn: left);
    }

    /// <summary>Undoes isolations from their records. Instances without a record are refused and left alone.</summary>
    public async Task<ReleaseReport> ReleaseAsync(IReadOnlyList<string> instanceIds, ReleaseRequest request,
        CancellationToken cancellationToken)
    {
        var reading = RecordsAsync(instanceIds, cancellationToken);
        // The groups of the VPCs the read-back saw, read alongside (issue 18); only read.
        var prefetched = request.VpcHint is { Count: > 0 } hint ? _groups.Prefetch(hint, cancellationToken) : null;
        IReadOnlyList<IsolationSubject> subjects;
        try
        {
            subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Observed.Forget(reading);
            LetGo([], prefetched);
            throw;
        }
        var records = await reading.ConfigureAwait(false);
        // The turn's replay claim ran beside the reads: won, or nothing is written or changed.
        if (request.MayChange is { } mayChange && !await mayChange().ConfigureAwait(false))
        {
            LetGo([], prefetched);
            return new ReleaseReport([]);
        }
        // A terminated instance has no interfaces left to give their groups back: it is released as one that no longer exists.
        var byId = subjects.Where(s => !s.IsTerminated).ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var fromTags = request.FromTags?.ToHashSet(StringComparer.Ordinal) ?? [];
        // The table's record, or (only where the read-back said so) the tags.
        bool Releasable(IsolationSubject s) => records.GetValueOrDefault(s.InstanceId).Entry is not null
            || (s.HasRecord && fromTags.Contains(s.InstanceId));
        var withRecord = byId.Values.Where(Releasable).ToList();
        var groups = withRecord.Count == 0
            ? new Dictionary<string, VpcGroups>(StringComparer.Ordinal)
            : await _groups.EnsureAsync(withRecord.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: false,
                cancellationToken, prefetched).ConfigureAwait(false);
        LetGo([], prefetched);

        using var gate = new SemaphoreSlim(options.Parallelism);
        var work = instanceIds.Distinct(StringComparer.Ordinal).Select(async id =>
        {
            if (!byId.TryGetValue(id, out var subject)) return new InstanceRelease(id, null, ReleaseOutcome.NotFound, []);
            if (records.GetValueOrDefault(id).Error is { } unreadable)
                return new InstanceRelease(id, subject, ReleaseOutcome.Failed, [], Problems: [unreadable]);
            if (!Releasable(subject)) return new InstanceRelease(id, subject, ReleaseOutcome.NoRecord, []);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var released = await _release.ReleaseOneAsync(subject, groups, request, records.GetValueOrDefault(id).Entry,
                    cancellationToken).ConfigureAwait(false);
                // Containment is undone only once every interface has its groups back.
                return containment is null || !released.Interfaces.All(i => i.IsDone) ? released
                    : released with { Containment = await containment.ReverseAsync(id, cancellationToken).ConfigureAwait(false) };
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return new ReleaseReport(await Task.WhenAll(work).ConfigureAwait(false));
    }

    /// <summary>
    /// The instances that are not terminated, with their interfaces, as EC2 describes them now (for the sweeper's check).
    /// </summary>
    public async Task<IReadOnlyList<IsolationSubject>> DescribeAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken) =>
        instanceIds.Count == 0 ? []
            : (await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false)).Where(s => !s.IsTerminated).ToList();

    /// <summary>Every instance carrying the isolation marker and not terminated, with its interfaces.</summary>
    public async Task<IReadOnlyList<IsolationSubject>> ListIsolatedAsync(CancellationToken cancellationToken)
    {
        var all = new List<IsolationSubject>();
        string? token = null;
        for (var page = 0; page < MaxStatusPages; page++)
        {
            var result = await account.ListMarkedAsync(token, cancellationToken).ConfigureAwait(false);
            // A terminated instance keeps its tags for a while, but is no longer isolated in any sense worth saying.
            all.AddRange(result.Items.Where(s => !s.IsTerminated));
            token = result.NextToken;
            if (token is null) break;
        }
        return all.OrderByDescending(s => s.IsolatedAt ?? DateTimeOffset.MinValue).ToList();
    }

    /// <summary>
    /// The skill's isolation groups, among those of the given VPCs, that have gained rules (never used; said and posted).
    /// </summary>
    public async Task<IReadOnlyList<string>> UnsafeIsolationGroupsAsync(IReadOnlyList<string> vpcIds, CancellationToken cancellationToken)
    {
        if (vpcIds.Count == 0) return [];
        var groups = await _groups.EnsureAsync(vpcIds, create: false, cancellationToken).ConfigureAwait(false);
        return groups.Values.Select(g => g.UnsafeGroupId).Where(g => g is not null).Select(g => g!).Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The VPCs of an instance's interfaces.</summary>
    public static IEnumerable<string> VpcsOfSubject(IsolationSubject subject) => VpcsOf(subject);

    /// <summary>Of the given instances, the ones with nothing left to isolate (see <see cref="IsIsolated"/>).</summary>
    public async Task<IReadOnlySet<string>> FullyIsolatedAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var reading = RecordsAsync(instanceIds, cancellationToken);
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        var records = await reading.ConfigureAwait(false);
        var whole = subjects.Where(s => !s.IsTerminated && records.GetValueOrDefault(s.InstanceId).Entry is { } e && IsIsolated(s, e))
            .Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
        // A containment step still to retry leaves something to do.
        if (containment is not null && whole.Count > 0)
            whole.ExceptWith(await containment.UnfinishedAsync(whole, cancellationToken).ConfigureAwait(false));
        return whole;
    }

    /// <summary>
    /// Each instance's isolation record (null: none, or only a released one), read in parallel; a read that failed carries its
    /// error, and the instance is then left alone.
    /// </summary>
    internal async Task<Dictionary<string, (IsolationEntry? Entry, AwsCallException? Error)>> RecordsAsync(
        IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reads = instanceIds.Distinct(StringComparer.Ordinal).Select(async id =>
        {
            try
            {
                var entry = await _ledger.ReadAsync(id, now, cancellationToken).ConfigureAwait(false);
                return (Id: id, Entry: entry is { IsHeld: true } ? entry : null, Error: (AwsCallException?)null);
            }
            catch (AwsCallException e)
            {
                return (Id: id, Entry: null, Error: e);
            }
        });
        return (await Task.WhenAll(reads).ConfigureAwait(false)).ToDictionary(r => r.Id, r => (r.Entry, r.Error), StringComparer.Ordinal);
    }

    /// <summary>
    /// True when the record says isolated and every interface sits in the isolation group alone (by name, so without a call):
    /// a marker tag without a record is not this skill's isolation.
    /// </summary>
    public static bool IsIsolated(IsolationSubject subject, IsolationEntry record) =>
        record.State == IsolationEntry.Isolated && subject.Interfaces.Count > 0
            && subject.Interfaces.All(i => InIsolationGroupByName(i, subject.VpcId) && record.OriginalsOf(i.Id) is not null);

    /// <summary>True when the interface's only group is the skill's isolation group of its VPC, by name.</summary>
    public static bool InIsolationGroupByName(InterfaceState eni, string? instanceVpc) =>
        eni.Groups.Count == 1 && (eni.VpcId ?? instanceVpc) is { } vpc
        && string.Equals(eni.Groups[0].Name, IsolationRecord.GroupName(IsolationRecord.IsolationRole, vpc), StringComparison.Ordinal);

    private static void LetGo(Dictionary<string, Task<bool>> early,
        Dictionary<string, Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)>>? prefetched)
    {
        foreach (var t in early.Values) Observed.Forget(t);
        if (prefetched is null) return;
        foreach (var t in prefetched.Values) Observed.Forget(t);
    }

    private static IEnumerable<string> VpcsOf(IsolationSubject s) =>
        s.Interfaces.Select(i => i.VpcId ?? s.VpcId).Where(v => v is not null).Select(v => v!);

    private static InstanceIsolation Deferred(IsolationSubject subject) =>
        new(subject.InstanceId, subject, IsolationOutcome.Deferred,
            subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.GroupIds, InterfaceOutcome.Unchanged)).ToList());
}
