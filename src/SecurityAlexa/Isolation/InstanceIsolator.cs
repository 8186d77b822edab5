using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolates and releases instances as AWS's own incident-response runbook does: record every
/// interface's groups first, then move each interface to an allow-all group (which makes tracked
/// flows untracked) and on to the isolation group (no rules at all). Every decision is taken here
/// from what <see cref="IIsolationAccount"/> reports; the record in tags is the only state.
/// </summary>
public sealed class InstanceIsolator(IIsolationAccount account, IsolationOptions options)
{
    // Calls one instance makes one after another: protection read, instance record, interface
    // records, two moves, protection on. With the measured round trip this says whether it still fits.
    private const int CallsPerInstance = 6;

    // Finding or creating the VPC's groups: a find, a create, a rule change.
    private const int CallsForGroups = 3;

    // More pages than this of isolated instances is more than anyone can listen to.
    private const int MaxStatusPages = 5;

    /// <summary>The settings.</summary>
    public IsolationOptions Options => options;

    /// <summary>
    /// Isolates the instances. Instances that cannot finish within the budget are handed on by
    /// tagging them with the trigger tag, so that the tag-event path finishes them.
    /// </summary>
    public async Task<IsolationReport> IsolateAsync(IReadOnlyList<string> instanceIds, IsolationRequest request, IsolationBudget budget, CancellationToken cancellationToken)
    {
        var time = budget.Clock;
        var finishBy = budget.FinishBy;
        var began = time.GetUtcNow();
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        var roundTrip = time.GetUtcNow() - began;
        var byId = subjects.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var results = new Dictionary<string, InstanceIsolation>(StringComparer.Ordinal);

        foreach (var id in instanceIds.Where(id => !byId.ContainsKey(id)))
            results[id] = new InstanceIsolation(id, null, IsolationOutcome.NotFound, []);

        // Already isolated (judged by the group's name, so without a call): nothing to change.
        var todo = new List<IsolationSubject>();
        foreach (var subject in subjects)
        {
            if (request.RequiredTag is { } required && subject.Tags.GetValueOrDefault(required.Key) != required.Value)
                results[subject.InstanceId] = new InstanceIsolation(subject.InstanceId, subject, IsolationOutcome.NotRequested, []);
            else if (LooksIsolated(subject)) results[subject.InstanceId] = AlreadyIsolated(subject, null);
            else todo.Add(subject);
        }

        if (todo.Count > 0)
        {
            if (time.GetUtcNow() + roundTrip * (CallsPerInstance + CallsForGroups) > finishBy)
            {
                foreach (var s in todo) results[s.InstanceId] = Deferred(s);
            }
            else
            {
                var groups = await EnsureGroupsAsync(todo.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: true, cancellationToken).ConfigureAwait(false);
                using var gate = new SemaphoreSlim(options.Parallelism);
                var work = todo.Select(async subject =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        // Start only what can finish in this turn; the rest goes on in the background.
                        if (time.GetUtcNow() + roundTrip * CallsPerInstance > finishBy) return Deferred(subject);
                        return await IsolateOneAsync(subject, groups, request, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToList();
                foreach (var result in await Task.WhenAll(work).ConfigureAwait(false)) results[result.InstanceId] = result;
            }
        }

        var ordered = instanceIds.Distinct(StringComparer.Ordinal).Select(id => results[id]).ToList();
        var deferred = ordered.Where(r => r.Outcome == IsolationOutcome.Deferred).Select(r => r.InstanceId).ToList();
        if (deferred.Count == 0) return new IsolationReport(ordered);
        try
        {
            await account.TagAsync(deferred, new Dictionary<string, string> { [options.TriggerTagKey] = options.TriggerTagValue }, cancellationToken).ConfigureAwait(false);
            return new IsolationReport(ordered, Continuing: true);
        }
        catch (AwsCallException e)
        {
            return new IsolationReport(ordered, Continuing: false, ContinuationError: e);
        }
    }

    /// <summary>Undoes isolations from their records. Instances without a record are refused and left alone.</summary>
    public async Task<ReleaseReport> ReleaseAsync(IReadOnlyList<string> instanceIds, ReleaseRequest request, CancellationToken cancellationToken)
    {
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        var byId = subjects.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var withRecord = subjects.Where(s => s.HasRecord).ToList();
        var groups = withRecord.Count == 0
            ? new Dictionary<string, VpcGroups>(StringComparer.Ordinal)
            : await EnsureGroupsAsync(withRecord.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: false, cancellationToken).ConfigureAwait(false);

        using var gate = new SemaphoreSlim(options.Parallelism);
        var work = instanceIds.Distinct(StringComparer.Ordinal).Select(async id =>
        {
            if (!byId.TryGetValue(id, out var subject)) return new InstanceRelease(id, null, ReleaseOutcome.NotFound, []);
            if (!subject.HasRecord) return new InstanceRelease(id, subject, ReleaseOutcome.NoRecord, []);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ReleaseOneAsync(subject, groups, request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return new ReleaseReport(await Task.WhenAll(work).ConfigureAwait(false));
    }

    /// <summary>Every instance carrying the isolation marker, with its interfaces.</summary>
    public async Task<IReadOnlyList<IsolationSubject>> ListIsolatedAsync(CancellationToken cancellationToken)
    {
        var all = new List<IsolationSubject>();
        string? token = null;
        for (var page = 0; page < MaxStatusPages; page++)
        {
            var result = await account.ListMarkedAsync(token, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Items);
            token = result.NextToken;
            if (token is null) break;
        }
        return all.OrderByDescending(s => s.IsolatedAt ?? DateTimeOffset.MinValue).ToList();
    }

    /// <summary>Of the given instances, the ones with nothing left to isolate (see <see cref="LooksIsolated"/>).</summary>
    public async Task<IReadOnlySet<string>> FullyIsolatedAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken)
    {
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        return subjects.Where(LooksIsolated).Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True when every interface sits in the isolation group alone, by name (status and the no-call shortcut use this).</summary>
    public static bool LooksIsolated(IsolationSubject subject) =>
        subject.IsMarked && subject.Interfaces.Count > 0 && subject.Interfaces.All(i => InIsolationGroupByName(i, subject.VpcId) && i.Saved.IsSaved);

    /// <summary>True when the interface's only group is the skill's isolation group of its VPC, by name.</summary>
    public static bool InIsolationGroupByName(InterfaceState eni, string? instanceVpc) =>
        eni.Groups.Count == 1 && (eni.VpcId ?? instanceVpc) is { } vpc
        && string.Equals(eni.Groups[0].Name, IsolationRecord.GroupName(IsolationRecord.IsolationRole, vpc), StringComparison.Ordinal);

    private async Task<InstanceIsolation> IsolateOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc, IsolationRequest request, CancellationToken ct)
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
        var unsafeGroup = groupsByVpc.Values.FirstOrDefault(g => g.UnsafeGroupId is not null && subject.Interfaces.Any(i => (i.VpcId ?? subject.VpcId) == g.VpcId))?.UnsafeGroupId;
        var groupError = done.Select(d => d.Error).FirstOrDefault(e => e is not null);
        var isolationGroup = plans.FirstOrDefault()?.Groups.IsolationId;

        if (plans.Count == 0)
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, done, Problems: groupError is null ? [] : [groupError], UnsafeGroupId: unsafeGroup);
        if (done.Count == 0 && subject.IsMarked && plans.All(p => p.Step is PlanStep.AlreadyIsolated))
            return AlreadyIsolated(subject, isolationGroup);

        // 1. The instance's own record, before anything changes: when, who, why, and termination protection as it was.
        var marker = new Dictionary<string, string>(StringComparer.Ordinal);
        var fresh = !subject.IsMarked;
        if (fresh) marker[SkillTags.IsolatedAt] = IsolationRecord.FormatTime(request.At);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.IsolatedBy)) marker[IsolationRecord.IsolatedBy] = IsolationRecord.CleanTagValue(request.RequestedBy);
        if (fresh || !subject.Tags.ContainsKey(IsolationRecord.Reason)) marker[IsolationRecord.Reason] = IsolationRecord.CleanTagValue(request.Reason);
        // A retry keeps the first reading: by then protection may be on because of us.
        var protectionBefore = IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore);
        try
        {
            if (protectionBefore is null)
            {
                protectionBefore = await account.GetTerminationProtectionAsync(id, ct).ConfigureAwait(false);
                marker[IsolationRecord.TerminationProtectionBefore] = protectionBefore.Value ? "true" : "false";
            }
            if (marker.Count > 0) await account.TagAsync([id], marker, ct).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            done.AddRange(plans.Select(p => new InterfaceResult(p.Eni.Id, p.Originals, InterfaceOutcome.Unchanged)));
            return new InstanceIsolation(id, subject, IsolationOutcome.Failed, Ordered(subject, done), isolationGroup, Problems: [e]);
        }

        // 2. Every interface's original groups, before any interface moves.
        var recorded = await Task.WhenAll(plans.Select(async p =>
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
        })).ConfigureAwait(false);

        // 3. The two-step move, only for interfaces whose originals are safely recorded.
        var moved = await Task.WhenAll(recorded.Select(r => r switch
        {
            { Error: { } e } => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.Unchanged, e)),
            { Plan.Step: PlanStep.AlreadyIsolated } => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, r.Plan.Originals, InterfaceOutcome.AlreadyIsolated)),
            { Plan.Step: PlanStep.IsolatedWithoutRecord } => Task.FromResult(new InterfaceResult(r.Plan.Eni.Id, [], InterfaceOutcome.IsolatedWithoutRecord)),
            _ => MoveAsync(r.Plan, ct),
        })).ConfigureAwait(false);
        done.AddRange(moved);

        var problems = new List<AwsCallException>();
        if (groupError is not null) problems.Add(groupError);
        var anyCutOff = done.Any(r => r.IsCutOff);
        var protectionOn = protectionBefore == true;

        // 4. Termination protection, so that the evidence cannot be terminated by mistake.
        if (anyCutOff && !protectionOn)
        {
            try
            {
                await account.SetTerminationProtectionAsync(id, true, ct).ConfigureAwait(false);
                protectionOn = true;
            }
            catch (AwsCallException e)
            {
                problems.Add(e);
            }
        }

        // 5. Snapshots of the disks as they were, once per isolation.
        var snapshots = new List<string>();
        if (anyCutOff && fresh && options.SnapshotOnIsolate && subject.VolumeIds.Count > 0)
        {
            try
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [IsolationRecord.SnapshotOf] = id };
                snapshots.AddRange(await account.SnapshotInstanceAsync(id, $"SecurityAlexa isolation of {id} at {IsolationRecord.FormatTime(request.At)}", tags, ct).ConfigureAwait(false));
            }
            catch (AwsCallException e)
            {
                problems.Add(e);
            }
        }

        var cutOff = done.Count(r => r.IsCutOff);
        var outcome = cutOff == done.Count ? IsolationOutcome.Isolated : cutOff == 0 ? IsolationOutcome.Failed : IsolationOutcome.Partial;
        return new InstanceIsolation(id, subject, outcome, Ordered(subject, done), isolationGroup, protectionBefore, protectionOn, snapshots, problems, unsafeGroup);
    }

    private async Task<InterfaceResult> MoveAsync(InterfacePlan plan, CancellationToken ct)
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

    private async Task<InstanceRelease> ReleaseOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc, ReleaseRequest request, CancellationToken ct)
    {
        var id = subject.InstanceId;
        var interfaces = await Task.WhenAll(subject.Interfaces.OrderBy(i => i.DeviceIndex).Select(eni =>
        {
            var g = (eni.VpcId ?? subject.VpcId) is { } vpc ? groupsByVpc.GetValueOrDefault(vpc) : null;
            return ReleaseInterfaceAsync(eni, g, ct);
        })).ConfigureAwait(false);

        // Anything not undone keeps the whole record, so that a retry finds what it needs.
        if (interfaces.Any(i => !i.IsDone))
        {
            var outcome = interfaces.Any(i => i.Outcome == InterfaceReleaseOutcome.Restored) ? ReleaseOutcome.Partial : ReleaseOutcome.Failed;
            return new InstanceRelease(id, subject, outcome, interfaces, Problems: interfaces.Where(i => i.Error is not null).Select(i => i.Error!).ToList());
        }

        var before = IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore);
        try
        {
            if (before == false) await account.SetTerminationProtectionAsync(id, false, ct).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return new InstanceRelease(id, subject, ReleaseOutcome.Partial, interfaces, TerminationProtectionNow: true, Problems: [e]);
        }

        try
        {
            await account.TagAsync([id], new Dictionary<string, string> { [SkillTags.ReleasedAt] = IsolationRecord.FormatTime(request.At) }, ct).ConfigureAwait(false);
            var markers = IsolationRecord.InstanceMarkers.ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
            if (subject.Tags.TryGetValue(options.TriggerTagKey, out var trigger) && trigger == options.TriggerTagValue)
                markers[options.TriggerTagKey] = options.TriggerTagValue;
            await account.UntagAsync([id], markers, ct).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return new InstanceRelease(id, subject, ReleaseOutcome.Partial, interfaces, before, Problems: [e]);
        }
        return new InstanceRelease(id, subject, ReleaseOutcome.Released, interfaces, before);
    }

    private async Task<InterfaceReleaseResult> ReleaseInterfaceAsync(InterfaceState eni, VpcGroups? groups, CancellationToken ct)
    {
        if (groups?.Error is { } findError) return new InterfaceReleaseResult(eni.Id, [], InterfaceReleaseOutcome.Failed, findError);
        var inSkillGroup = groups is not null && eni.GroupIds.Any(groups.IsSkillGroup);
        var saved = eni.Saved;
        var recordKeys = IsolationRecord.InterfaceKeys(eni.Tags).ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
        switch (saved.State)
        {
            case SavedGroupsState.None:
                return new InterfaceReleaseResult(eni.Id, [], inSkillGroup ? InterfaceReleaseOutcome.NoUsableRecord : InterfaceReleaseOutcome.NothingToRestore);
            case SavedGroupsState.Unreadable when inSkillGroup:
                return new InterfaceReleaseResult(eni.Id, [], InterfaceReleaseOutcome.NoUsableRecord);
        }
        try
        {
            // Only an interface the skill moved is moved back; one it never moved keeps whatever it has now.
            if (inSkillGroup && saved.IsSaved) await account.SetInterfaceGroupsAsync(eni.Id, saved.GroupIds, ct).ConfigureAwait(false);
            await account.UntagAsync([eni.Id], recordKeys, ct).ConfigureAwait(false);
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds, inSkillGroup ? InterfaceReleaseOutcome.Restored : InterfaceReleaseOutcome.NothingToRestore);
        }
        catch (AwsCallException e)
        {
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds, InterfaceReleaseOutcome.Failed, e);
        }
    }

    private async Task<Dictionary<string, VpcGroups>> EnsureGroupsAsync(IReadOnlyList<string> vpcIds, bool create, CancellationToken ct)
    {
        var found = await Task.WhenAll(vpcIds.Select(async vpc =>
        {
            try
            {
                return await EnsureVpcAsync(vpc, create, ct).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                return new VpcGroups(vpc, null, null, e);
            }
        })).ConfigureAwait(false);
        return found.ToDictionary(g => g.VpcId, StringComparer.Ordinal);
    }

    private async Task<VpcGroups> EnsureVpcAsync(string vpc, bool create, CancellationToken ct)
    {
        var found = await account.FindSkillGroupsAsync(vpc, ct).ConfigureAwait(false);
        var isolation = Pick(found, IsolationRecord.IsolationRole);
        var allowAll = Pick(found, IsolationRecord.AllowAllRole);
        if (!create) return new VpcGroups(vpc, isolation?.Id, allowAll?.Id);

        var isolationTask = EnsureIsolationGroupAsync(vpc, isolation, ct);
        var allowAllTask = EnsureAllowAllGroupAsync(vpc, allowAll, ct);
        try
        {
            await Task.WhenAll(isolationTask, allowAllTask).ConfigureAwait(false);
        }
        catch (AwsCallException)
        {
            // Both have finished; the awaits below rethrow the failure.
        }
        var (isolationId, unsafeId) = await isolationTask.ConfigureAwait(false);
        var allowAllId = await allowAllTask.ConfigureAwait(false);
        return new VpcGroups(vpc, isolationId, allowAllId, UnsafeGroupId: unsafeId);
    }

    private async Task<(string? Id, string? UnsafeId)> EnsureIsolationGroupAsync(string vpc, SkillGroup? existing, CancellationToken ct)
    {
        if (existing is null)
        {
            var (id, adopted) = await CreateOrAdoptAsync(vpc, IsolationRecord.IsolationRole, "No inbound or outbound rules: an isolated interface can reach nothing and nothing can reach it.", ct).ConfigureAwait(false);
            if (adopted is null)
            {
                await account.RevokeDefaultEgressAsync(id, ct).ConfigureAwait(false);
                return (id, null);
            }
            existing = adopted;
        }
        if (existing.IngressRules == 0 && existing.EgressRules == 0) return (existing.Id, null);
        // Creation that stopped before its egress rule was revoked: finish it.
        if (existing.IngressRules == 0 && existing.EgressIsDefaultOnly)
        {
            await account.RevokeDefaultEgressAsync(existing.Id, ct).ConfigureAwait(false);
            return (existing.Id, null);
        }
        // Someone added rules: an isolation group that lets traffic through must not be used.
        return (null, existing.Id);
    }

    private async Task<string> EnsureAllowAllGroupAsync(string vpc, SkillGroup? existing, CancellationToken ct)
    {
        if (existing is null)
        {
            var (id, adopted) = await CreateOrAdoptAsync(vpc, IsolationRecord.AllowAllRole, "Allows all traffic for a moment during isolation, so that tracked connections become untracked.", ct).ConfigureAwait(false);
            if (adopted is null || adopted.IngressRules == 0) await account.AllowAllTrafficAsync(id, ct).ConfigureAwait(false);
            return id;
        }
        if (existing.IngressRules == 0) await account.AllowAllTrafficAsync(existing.Id, ct).ConfigureAwait(false);
        return existing.Id;
    }

    private async Task<(string Id, SkillGroup? Adopted)> CreateOrAdoptAsync(string vpc, string role, string description, CancellationToken ct)
    {
        var name = IsolationRecord.GroupName(role, vpc);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [SkillTags.GroupRole] = role, ["Name"] = name };
        if (await account.CreateGroupAsync(new NewSkillGroup(vpc, name, description, tags), ct).ConfigureAwait(false) is { } created)
            return (created, null);
        // Another invocation created it a moment ago: use that one.
        var again = Pick(await account.FindSkillGroupsAsync(vpc, ct).ConfigureAwait(false), role)
            ?? throw new AwsCallException(AwsOperations.Ec2CreateSecurityGroup, AwsFailure.InvalidRequest, "InvalidGroup.Duplicate",
                System.Net.HttpStatusCode.BadRequest, $"A group named {name} exists in {vpc} but carries no role tag.");
        return (again.Id, again);
    }

    private static SkillGroup? Pick(IReadOnlyList<SkillGroup> groups, string role) =>
        groups.Where(g => g.Role == role).OrderBy(g => g.Id, StringComparer.Ordinal).FirstOrDefault();

    private static InterfacePlan Plan(InterfaceState eni, VpcGroups g)
    {
        var current = eni.GroupIds;
        var saved = eni.Saved;
        // Groups that include none of the skill's are the originals: record them (a stale record is replaced).
        if (!current.Any(g.IsSkillGroup)) return new InterfacePlan(eni, g, PlanStep.RecordAndSwap, current);
        // In a skill group already: the saved record is the truth and is never overwritten.
        if (current.Count == 1 && current[0] == g.IsolationId)
            return saved.IsSaved ? new InterfacePlan(eni, g, PlanStep.AlreadyIsolated, saved.GroupIds) : new InterfacePlan(eni, g, PlanStep.IsolatedWithoutRecord, []);
        return saved.IsSaved ? new InterfacePlan(eni, g, PlanStep.Swap, saved.GroupIds) : new InterfacePlan(eni, g, PlanStep.SwapWithoutRecord, []);
    }

    private static IEnumerable<string> VpcsOf(IsolationSubject s) =>
        s.Interfaces.Select(i => i.VpcId ?? s.VpcId).Where(v => v is not null).Select(v => v!);

    private static List<InterfaceResult> Ordered(IsolationSubject subject, List<InterfaceResult> results) =>
        subject.Interfaces.OrderBy(i => i.DeviceIndex).Select(i => results.First(r => r.InterfaceId == i.Id)).ToList();

    private static InstanceIsolation AlreadyIsolated(IsolationSubject subject, string? isolationGroup) => new(
        subject.InstanceId, subject, IsolationOutcome.AlreadyIsolated,
        subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.Saved.GroupIds, InterfaceOutcome.AlreadyIsolated)).ToList(),
        isolationGroup ?? (subject.Interfaces is [var first, ..] && first.GroupIds is [var group, ..] ? group : null),
        IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore), TerminationProtectionOn: true);

    private static InstanceIsolation Deferred(IsolationSubject subject) =>
        new(subject.InstanceId, subject, IsolationOutcome.Deferred, subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.GroupIds, InterfaceOutcome.Unchanged)).ToList());

    private enum PlanStep
    {
        RecordAndSwap,
        Swap,
        SwapWithoutRecord,
        AlreadyIsolated,
        IsolatedWithoutRecord,
    }

    private sealed record InterfacePlan(InterfaceState Eni, VpcGroups Groups, PlanStep Step, IReadOnlyList<string> Originals);

    private sealed record VpcGroups(string VpcId, string? IsolationId, string? AllowAllId, AwsCallException? Error = null, string? UnsafeGroupId = null)
    {
        public bool IsReady => IsolationId is not null && AllowAllId is not null && Error is null && UnsafeGroupId is null;

        public bool IsSkillGroup(string groupId) => groupId == IsolationId || groupId == AllowAllId;
    }
}
