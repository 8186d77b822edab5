using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolates and releases instances as AWS's own incident-response runbook does: record every
/// interface's groups first, then move each interface to an allow-all group (which makes tracked
/// flows untracked) and on to the isolation group (no rules at all). Every decision is taken here
/// from what <see cref="IIsolationAccount"/> reports; the record in tags is the only state. This class
/// orchestrates; the per-instance steps are <see cref="IsolationRunbook"/> and <see cref="ReleaseRunbook"/>, and
/// the VPC's groups come from <see cref="IsolationGroups"/>.
/// </summary>
internal sealed class InstanceIsolator(IIsolationAccount account, IsolationOptions options, ContainmentSteps? containment = null)
{
    // Calls one instance makes one after another: protection read, instance record, interface
    // records, two moves, protection on. With the measured round trip this says whether it still fits.
    private const int CallsPerInstance = 6;

    // Finding or creating the VPC's groups: a find, a create, a rule change.
    private const int CallsForGroups = 3;

    // More pages than this of isolated instances is more than anyone can listen to.
    private const int MaxStatusPages = 5;

    private readonly IsolationGroups _groups = new(account);
    private readonly IsolationRunbook _runbook = new(account, options);
    private readonly ReleaseRunbook _release = new(account, options);

    /// <summary>Also read by the handlers, for the trigger tag they name in speech and chat.</summary>
    public IsolationOptions Options => options;

    /// <summary>
    /// Isolates the instances. Instances that cannot finish within the budget are handed on by
    /// tagging them with the trigger tag, so that the tag-event path finishes them.
    /// </summary>
    public async Task<IsolationReport> IsolateAsync(IReadOnlyList<string> instanceIds, IsolationRequest request, IsolationBudget budget,
        CancellationToken cancellationToken)
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
            else if (LooksIsolated(subject)) results[subject.InstanceId] = IsolationRunbook.AlreadyIsolated(subject, null);
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
                // Termination protection as it is now is read while the groups are found: both only read (issue 18).
                var protections = todo.Count <= options.Parallelism
                    ? todo.Where(s => IsolationRecord.ReadBool(s.Tags, IsolationRecord.TerminationProtectionBefore) is null)
                        .ToDictionary(s => s.InstanceId, s => account.GetTerminationProtectionAsync(s.InstanceId, cancellationToken),
                            StringComparer.Ordinal)
                    : [];
                var groups = await _groups.EnsureAsync(todo.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: true,
                    cancellationToken).ConfigureAwait(false);
                using var gate = new SemaphoreSlim(options.Parallelism);
                var work = todo.Select(async subject =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        // Start only what can finish in this turn; the rest goes on in the background.
                        var protection = protections.GetValueOrDefault(subject.InstanceId);
                        if (time.GetUtcNow() + roundTrip * CallsPerInstance > finishBy)
                        {
                            Observed.Forget(protection);
                            return Deferred(subject);
                        }
                        // Auto Scaling, load balancers, volumes, role sessions first (issue 15 §3); they never stop the swap.
                        var contained = containment is null ? null : await containment.ContainAsync(subject, request.At,
                            finishBy - roundTrip * CallsPerInstance, cancellationToken).ConfigureAwait(false);
                        return await _runbook.IsolateOneAsync(subject, groups, request, protection, cancellationToken)
                            .ConfigureAwait(false) with { Containment = contained };
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToList();
                foreach (var result in await Task.WhenAll(work).ConfigureAwait(false)) results[result.InstanceId] = result;
            }
        }

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
        try
        {
            await account.TagAsync(deferred, new Dictionary<string, string> { [options.TriggerTagKey] = options.TriggerTagValue },
                cancellationToken).ConfigureAwait(false);
            return new IsolationReport(ordered, Continuing: true);
        }
        catch (AwsCallException e)
        {
            return new IsolationReport(ordered, Continuing: false, ContinuationError: e);
        }
    }

    /// <summary>Undoes isolations from their records. Instances without a record are refused and left alone.</summary>
    public async Task<ReleaseReport> ReleaseAsync(IReadOnlyList<string> instanceIds, ReleaseRequest request,
        CancellationToken cancellationToken)
    {
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        var byId = subjects.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var withRecord = subjects.Where(s => s.HasRecord).ToList();
        var groups = withRecord.Count == 0
            ? new Dictionary<string, VpcGroups>(StringComparer.Ordinal)
            : await _groups.EnsureAsync(withRecord.SelectMany(VpcsOf).Distinct(StringComparer.Ordinal).ToList(), create: false,
                cancellationToken).ConfigureAwait(false);

        using var gate = new SemaphoreSlim(options.Parallelism);
        var work = instanceIds.Distinct(StringComparer.Ordinal).Select(async id =>
        {
            if (!byId.TryGetValue(id, out var subject)) return new InstanceRelease(id, null, ReleaseOutcome.NotFound, []);
            if (!subject.HasRecord) return new InstanceRelease(id, subject, ReleaseOutcome.NoRecord, []);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var released = await _release.ReleaseOneAsync(subject, groups, request, cancellationToken).ConfigureAwait(false);
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
    public async Task<IReadOnlySet<string>> FullyIsolatedAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var subjects = await account.DescribeAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        var whole = subjects.Where(LooksIsolated).Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
        // A containment step still to retry leaves something to do.
        if (containment is not null && whole.Count > 0)
            whole.ExceptWith(await containment.UnfinishedAsync(whole, cancellationToken).ConfigureAwait(false));
        return whole;
    }

    /// <summary>True when every interface sits in the isolation group alone, by name (status and the no-call shortcut use this).</summary>
    public static bool LooksIsolated(IsolationSubject subject) =>
        subject.IsMarked && subject.Interfaces.Count > 0
            && subject.Interfaces.All(i => InIsolationGroupByName(i, subject.VpcId) && i.Saved.IsSaved);

    /// <summary>True when the interface's only group is the skill's isolation group of its VPC, by name.</summary>
    public static bool InIsolationGroupByName(InterfaceState eni, string? instanceVpc) =>
        eni.Groups.Count == 1 && (eni.VpcId ?? instanceVpc) is { } vpc
        && string.Equals(eni.Groups[0].Name, IsolationRecord.GroupName(IsolationRecord.IsolationRole, vpc), StringComparison.Ordinal);

    private static IEnumerable<string> VpcsOf(IsolationSubject s) =>
        s.Interfaces.Select(i => i.VpcId ?? s.VpcId).Where(v => v is not null).Select(v => v!);

    private static InstanceIsolation Deferred(IsolationSubject subject) =>
        new(subject.InstanceId, subject, IsolationOutcome.Deferred,
            subject.Interfaces.Select(i => new InterfaceResult(i.Id, i.GroupIds, InterfaceOutcome.Unchanged)).ToList());
}
