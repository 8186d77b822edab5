using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>
/// The steps before the security-group swap that keep the rest of AWS from undoing an isolation: Auto Scaling
/// scale-in protection and Standby (or, where Standby is impossible, a detach that keeps the desired capacity),
/// deregistration from ELBv2 target groups, DeleteOnTermination=false on the volumes and, when asked for, a deny on the
/// instance role's older sessions. Each step is recorded in the state table before it is taken, and a failure is reported,
/// never thrown: the swap goes ahead whatever happens here. <see cref="ReverseAsync"/> undoes exactly what was recorded,
/// backwards.
/// </summary>
internal sealed class ContainmentSteps(ContainmentPorts ports, IStateTable state, ContainmentOptions options, TimeProvider clock)
{
    /// <summary>The inline policy's name on the role: one per instance, so releasing one instance leaves another's in place.</summary>
    public static string PolicyNameFor(string instanceId) => "SecurityAlexa-RevokeSessions-" + instanceId;

    /// <summary>
    /// Runs every step not yet done for the instance, within <see cref="ContainmentOptions.TimeLimit"/> and never past
    /// <paramref name="finishBy"/> (when the swap must start to fit in the turn).
    /// </summary>
    public async Task<ContainmentReport> ContainAsync(IsolationSubject subject, DateTimeOffset at, DateTimeOffset finishBy,
        CancellationToken cancellationToken)
    {
        ContainmentLedger ledger;
        try
        {
            ledger = await ContainmentLedger.LoadAsync(state, subject.InstanceId, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // Without the record nothing may be changed: it is what a release needs.
            return new ContainmentReport([new ContainmentResult(ContainmentAction.Standby, ContainmentOutcome.Failed, Error: e)]);
        }

        var left = finishBy - clock.GetUtcNow();
        using var limit = new CancellationTokenSource(left < options.TimeLimit ? (left > TimeSpan.Zero ? left : TimeSpan.Zero)
            : options.TimeLimit, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var run = new Run(ports, options.RevokeRoleSessions, ledger, subject.InstanceId, linked.Token, cancellationToken);
        await run.AutoScalingAsync().ConfigureAwait(false);
        await run.DeregisterAsync(subject.VpcId).ConfigureAwait(false);
        await run.StorageAsync(at).ConfigureAwait(false);
        return new ContainmentReport(run.Results);
    }

    /// <summary>The plan of an instance not read: every step may apply.</summary>
    public ContainmentPlan Unknown(string instanceId) => new(instanceId, Known: false, RevokeSessions: options.RevokeRoleSessions);

    /// <summary>The longest the steps before one swap may take (<see cref="ContainmentOptions.TimeLimit"/>).</summary>
    public TimeSpan TimeLimit => options.TimeLimit;

    /// <summary>Round trips containment may add before an instance's swap when nothing was read beforehand.</summary>
    public int WorstCaseRoundTrips => ContainmentPlan.WorstCase(options.RevokeRoleSessions);

    /// <summary>
    /// What containment will change on each instance, by reads only (the record, Auto Scaling, target groups, volumes and,
    /// when sessions are revoked, the profile's role), all within <paramref name="limit"/>; an instance whose reads fail or
    /// run out of time gets an unknown plan.
    /// </summary>
    public async Task<IReadOnlyList<ContainmentPlan>> PlanAsync(IReadOnlyList<(string InstanceId, string? VpcId)> instances, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(limit > TimeSpan.Zero ? limit : TimeSpan.Zero, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var ct = linked.Token;
        return await Task.WhenAll(instances.Select(async i =>
        {
            try
            {
                var ledger = ContainmentLedger.LoadAsync(state, i.InstanceId, clock, ct);
                var member = ports.AutoScaling.FindAsync(i.InstanceId, ct);
                var targets = ports.LoadBalancing.FindAsync(i.InstanceId, i.VpcId, ct);
                var storage = ports.Storage.DescribeAsync(i.InstanceId, ct);
                await Task.WhenAll(ledger, member, targets, storage).ConfigureAwait(false);
                var done = (await ledger.ConfigureAwait(false)).Steps.Where(s => s.Status == ContainmentStatus.Done).Select(s => s.Action)
                    .ToHashSet();
                var inGroup = await member.ConfigureAwait(false);
                var found = await targets.ConfigureAwait(false);
                var disks = await storage.ConfigureAwait(false);
                var placed = done.Contains(ContainmentAction.Standby) || done.Contains(ContainmentAction.Detach);
                var revoke = options.RevokeRoleSessions && !done.Contains(ContainmentAction.RevokeSessions)
                    && disks.InstanceProfileArn is not null;
                return new ContainmentPlan(i.InstanceId, Known: true,
                    ScaleInProtection: inGroup is { ProtectedFromScaleIn: false } && !done.Contains(ContainmentAction.ScaleInProtection),
                    Standby: inGroup is { LifecycleState: AutoScalingMember.InService } && !placed,
                    TargetGroups: done.Contains(ContainmentAction.Deregister) ? 0
                        : found.Select(t => t.TargetGroupArn).Distinct(StringComparer.Ordinal).Count(),
                    Volumes: done.Contains(ContainmentAction.KeepVolumes) ? 0 : disks.Volumes.Count(v => v.DeleteOnTermination),
                    RevokeSessions: revoke);
            }
            catch (Exception e) when (e is AwsCallException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Only read for the read-back: the steps themselves read again and report their own failures.
                return Unknown(i.InstanceId);
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Of the given instances, those whose record holds a step not done (to retry); an unreadable record counts too.</summary>
    public async Task<IReadOnlyList<string>> UnfinishedAsync(IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(instanceIds.Select(async id =>
        {
            try
            {
                var ledger = await ContainmentLedger.LoadAsync(state, id, clock, cancellationToken).ConfigureAwait(false);
                return (Id: id, Unfinished: ledger.Steps.Any(s => s.Status != ContainmentStatus.Done));
            }
            catch (AwsCallException)
            {
                return (Id: id, Unfinished: true);
            }
        })).ConfigureAwait(false);
        return checks.Where(c => c.Unfinished).Select(c => c.Id).ToList();
    }

    /// <summary>Undoes every recorded step, last first; what cannot be undone stays recorded for the next release.</summary>
    public async Task<ContainmentReport> ReverseAsync(string instanceId, CancellationToken cancellationToken)
    {
        ContainmentLedger ledger;
        try
        {
            ledger = await ContainmentLedger.LoadAsync(state, instanceId, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return new ContainmentReport([new ContainmentResult(ContainmentAction.Standby, ContainmentOutcome.UndoFailed, Error: e)]);
        }
        var results = new List<ContainmentResult>();
        foreach (var entry in ledger.Steps.OrderByDescending(s => s.Action).ToList())
        {
            try
            {
                var undone = await UndoAsync(instanceId, entry, cancellationToken).ConfigureAwait(false);
                await ledger.RemoveAsync(entry.Action, cancellationToken).ConfigureAwait(false);
                // A step that never took effect (it failed, and nothing is left to undo) is forgotten quietly.
                if (undone || entry.Status == ContainmentStatus.Done)
                    results.Add(new ContainmentResult(entry.Action, ContainmentOutcome.Undone, DetailOf(entry), CountOf(entry)));
            }
            catch (AwsCallException e)
            {
                results.Add(new ContainmentResult(entry.Action, ContainmentOutcome.UndoFailed, DetailOf(entry), CountOf(entry), e));
            }
        }
        return new ContainmentReport(results);
    }

    // True when a call changed something back.
    private async Task<bool> UndoAsync(string instanceId, ContainmentEntry entry, CancellationToken ct)
    {
        switch (entry.Action)
        {
            case ContainmentAction.RevokeSessions when entry is { Role: { } role, PolicyName: { } policy }:
                await ports.Roles.RemovePolicyAsync(role, policy, ct).ConfigureAwait(false);
                return true;
            case ContainmentAction.KeepVolumes when entry.Volumes is { Count: > 0 } volumes:
                await ports.Storage.SetDeleteOnTerminationAsync(instanceId, volumes, ct).ConfigureAwait(false);
                return true;
            case ContainmentAction.Deregister when entry.Targets is { Count: > 0 } targets:
                await Task.WhenAll(targets.Select(t => ports.LoadBalancing.RegisterAsync(instanceId, t, ct))).ConfigureAwait(false);
                return true;
            case ContainmentAction.Detach when entry.Group is { } group:
                if (await ports.AutoScaling.FindAsync(instanceId, ct).ConfigureAwait(false) is not null) return false;
                await ports.AutoScaling.AttachAsync(group, instanceId, ct).ConfigureAwait(false);
                return true;
            case ContainmentAction.Standby when entry.Group is { } group:
                var member = await ports.AutoScaling.FindAsync(instanceId, ct).ConfigureAwait(false);
                if (member?.LifecycleState != AutoScalingMember.Standby) return false;
                await ports.AutoScaling.ExitStandbyAsync(member.GroupName, instanceId, ct).ConfigureAwait(false);
                return true;
            case ContainmentAction.ScaleInProtection when entry is { Group: { }, ProtectedBefore: false }:
                // Only while it is still in a group; a detached instance has no protection to clear.
                if (await ports.AutoScaling.FindAsync(instanceId, ct).ConfigureAwait(false) is not { } inGroup) return false;
                await ports.AutoScaling.SetScaleInProtectionAsync(inGroup.GroupName, instanceId, false, ct).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static string? DetailOf(ContainmentEntry e) => e.Action switch
    {
        ContainmentAction.Deregister =>
            string.Join(", ", (e.Targets ?? []).Select(t => t.Port is { } p ? $"{t.GroupName}:{p}" : t.GroupName)),
        ContainmentAction.KeepVolumes => string.Join(", ", (e.Volumes ?? []).Select(v => v.VolumeId ?? v.DeviceName)),
        ContainmentAction.RevokeSessions => e.Role,
        _ => e.Group,
    };

    private static int CountOf(ContainmentEntry e) => e.Action switch
    {
        ContainmentAction.Deregister => (e.Targets ?? []).Select(t => t.TargetGroupArn).Distinct(StringComparer.Ordinal).Count(),
        ContainmentAction.KeepVolumes => e.Volumes?.Count ?? 0,
        _ => 1,
    };

    /// <summary>One containment pass over one instance: its ledger, its tokens and what it has done so far.</summary>
    private sealed class Run(ContainmentPorts ports, bool revokeSessions, ContainmentLedger ledger, string instanceId,
        CancellationToken limited, CancellationToken recordToken)
    {
        private InstanceStorage? _storage;

        public List<ContainmentResult> Results { get; } = [];

        private ContainmentPorts Ports => ports;

        public async Task AutoScalingAsync()
        {
            var protection = ledger.Find(ContainmentAction.ScaleInProtection);
            var standby = ledger.Find(ContainmentAction.Standby);
            var detach = ledger.Find(ContainmentAction.Detach);
            var protectionDone = protection?.Status == ContainmentStatus.Done;
            var placed = standby?.Status == ContainmentStatus.Done || detach?.Status == ContainmentStatus.Done;
            if (protectionDone) Results.Add(Already(protection!));
            if (placed) Results.Add(Already(standby?.Status == ContainmentStatus.Done ? standby : detach!));
            if (protectionDone && placed) return;

            AutoScalingMember? member;
            try
            {
                member = await Call(ct => Ports.AutoScaling.FindAsync(instanceId, ct)).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                Results.Add(new ContainmentResult(ContainmentAction.Standby, ContainmentOutcome.Failed, Error: e));
                return;
            }

            if (member is null)
            {
                // Out of any group: either never in one, or detached by an earlier attempt whose answer was lost.
                if (!placed && detach is not null) Results.Add(await MarkDoneAsync(detach).ConfigureAwait(false));
                return;
            }
            var group = member.GroupName;

            if (!protectionDone && (protection is not null || !member.ProtectedFromScaleIn))
            {
                var entry = protection ?? new ContainmentEntry
                {
                    Action = ContainmentAction.ScaleInProtection, Group = group, ProtectedBefore = member.ProtectedFromScaleIn,
                };
                Results.Add(await TakeAsync(entry, ct => Ports.AutoScaling.SetScaleInProtectionAsync(group, instanceId, true, ct))
                    .ConfigureAwait(false));
            }
            if (placed) return;

            if (member.LifecycleState == AutoScalingMember.Standby)
            {
                // Ours from an earlier attempt, or in standby before the skill came: then it is not the skill's to undo.
                if (standby is not null) Results.Add(await MarkDoneAsync(standby).ConfigureAwait(false));
                return;
            }
            if (member.LifecycleState == AutoScalingMember.InService)
            {
                var entered = await TakeAsync(standby ?? new ContainmentEntry { Action = ContainmentAction.Standby, Group = group },
                    ct => Ports.AutoScaling.EnterStandbyAsync(group, instanceId, ct)).ConfigureAwait(false);
                Results.Add(entered);
                // Refused as invalid (at its minimum size, say): Standby is impossible, so detach instead. Anything else (access,
                // time) would refuse the detach too.
                if (entered.Error?.Failure != AwsFailure.InvalidRequest) return;
            }
            Results.Add(await TakeAsync(detach ?? new ContainmentEntry { Action = ContainmentAction.Detach, Group = group },
                ct => Ports.AutoScaling.DetachAsync(group, instanceId, ct)).ConfigureAwait(false));
        }

        public async Task DeregisterAsync(string? vpcId)
        {
            var entry = ledger.Find(ContainmentAction.Deregister);
            if (entry?.Status == ContainmentStatus.Done)
            {
                Results.Add(Already(entry));
                return;
            }
            IReadOnlyList<TargetRegistration> found;
            try
            {
                found = await Call(ct => Ports.LoadBalancing.FindAsync(instanceId, vpcId, ct)).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                Results.Add(new ContainmentResult(ContainmentAction.Deregister, ContainmentOutcome.Failed, Error: e));
                return;
            }
            // A retry keeps what was recorded: a registration taken out last time is no longer found, and must come back.
            var targets = (entry?.Targets ?? []).Concat(found).Distinct().ToList();
            if (targets.Count == 0) return;
            Results.Add(await TakeAsync(
                (entry ?? new ContainmentEntry { Action = ContainmentAction.Deregister }) with { Targets = targets },
                ct => Task.WhenAll(targets.Select(t => Ports.LoadBalancing.DeregisterAsync(instanceId, t, ct)))).ConfigureAwait(false));
        }

        public async Task StorageAsync(DateTimeOffset at)
        {
            var volumes = ledger.Find(ContainmentAction.KeepVolumes);
            var sessions = revokeSessions ? ledger.Find(ContainmentAction.RevokeSessions) : null;
            var volumesDone = volumes?.Status == ContainmentStatus.Done;
            var sessionsDone = !revokeSessions || sessions?.Status == ContainmentStatus.Done;
            if (volumesDone) Results.Add(Already(volumes!));
            if (revokeSessions && sessionsDone) Results.Add(Already(sessions!));
            if (volumesDone && sessionsDone) return;

            try
            {
                _storage = await Call(ct => Ports.Storage.DescribeAsync(instanceId, ct)).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                if (!volumesDone) Results.Add(new ContainmentResult(ContainmentAction.KeepVolumes, ContainmentOutcome.Failed, Error: e));
                if (!sessionsDone)
                    Results.Add(new ContainmentResult(ContainmentAction.RevokeSessions, ContainmentOutcome.Failed, Error: e));
                return;
            }

            if (!volumesDone)
            {
                // The old value of each volume, as first recorded: after a half-done attempt some already read false.
                var recorded = volumes?.Volumes ?? [];
                var changing = recorded.Concat(_storage.Volumes.Where(v => v.DeleteOnTermination
                    && !recorded.Any(r => r.DeviceName == v.DeviceName))).ToList();
                if (changing.Count > 0)
                {
                    var keep = changing.Select(v => v with { DeleteOnTermination = false }).ToList();
                    Results.Add(await TakeAsync(
                        (volumes ?? new ContainmentEntry { Action = ContainmentAction.KeepVolumes }) with { Volumes = changing },
                        ct => Ports.Storage.SetDeleteOnTerminationAsync(instanceId, keep, ct)).ConfigureAwait(false));
                }
            }
            if (!sessionsDone) await RevokeAsync(sessions, at).ConfigureAwait(false);
        }

        private async Task RevokeAsync(ContainmentEntry? entry, DateTimeOffset at)
        {
            var role = entry?.Role;
            if (role is null && ProfileName(_storage?.InstanceProfileArn) is { } profile)
            {
                try
                {
                    var roles = await Call(ct => Ports.Roles.RolesOfProfileAsync(profile, ct)).ConfigureAwait(false);
                    role = roles.Count > 0 ? roles[0] : null;
                }
                catch (AwsCallException e)
                {
                    Results.Add(new ContainmentResult(ContainmentAction.RevokeSessions, ContainmentOutcome.Failed, profile, Error: e));
                    return;
                }
            }
            if (role is null) return;
            var policy = ContainmentSteps.PolicyNameFor(instanceId);
            var before = entry?.IssuedBefore ?? at;
            Results.Add(await TakeAsync((entry ?? new ContainmentEntry { Action = ContainmentAction.RevokeSessions })
                    with { Role = role, PolicyName = policy, IssuedBefore = before },
                ct => Ports.Roles.DenySessionsIssuedBeforeAsync(role, policy, before, ct)).ConfigureAwait(false));
        }

        // arn:aws:iam::111122223333:instance-profile/path/name -> name
        private static string? ProfileName(string? arn) =>
            arn is null ? null : arn.LastIndexOf('/') is var slash and >= 0 && slash < arn.Length - 1 ? arn[(slash + 1)..] : null;

        // Recorded first (Started), then taken, then marked Done or Failed. A step whose record cannot be written is not taken.
        private async Task<ContainmentResult> TakeAsync(ContainmentEntry entry, Func<CancellationToken, Task> step)
        {
            var started = entry with { Status = ContainmentStatus.Started, Error = null };
            try
            {
                if (limited.IsCancellationRequested) throw TimedOut(entry.Action);
                await ledger.WriteAsync(started, recordToken).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                return new ContainmentResult(entry.Action, ContainmentOutcome.Failed, DetailOf(entry), CountOf(entry), e);
            }
            try
            {
                await Call(async ct =>
                {
                    await step(ct).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                await TryWriteAsync(started with { Status = ContainmentStatus.Failed, Error = e.ErrorCode ?? e.Failure.ToString() })
                    .ConfigureAwait(false);
                return new ContainmentResult(entry.Action, ContainmentOutcome.Failed, DetailOf(entry), CountOf(entry), e);
            }
            // Left Started if this write fails: a release undoes a started step just the same.
            await TryWriteAsync(started with { Status = ContainmentStatus.Done }).ConfigureAwait(false);
            return new ContainmentResult(entry.Action, ContainmentOutcome.Done, DetailOf(entry), CountOf(entry));
        }

        private async Task<ContainmentResult> MarkDoneAsync(ContainmentEntry entry)
        {
            await TryWriteAsync(entry with { Status = ContainmentStatus.Done, Error = null }).ConfigureAwait(false);
            return new ContainmentResult(entry.Action, ContainmentOutcome.Done, DetailOf(entry), CountOf(entry));
        }

        private async Task TryWriteAsync(ContainmentEntry entry)
        {
            try
            {
                await ledger.WriteAsync(entry, recordToken).ConfigureAwait(false);
            }
            catch (AwsCallException)
            {
                // The step's outcome stands; the record keeps its earlier status, which a retry or release handles.
            }
        }

        // A call under the time limit; the limit passing (or a port that ignores it) is a time-out, not a crash.
        private async Task<T> Call<T>(Func<CancellationToken, Task<T>> call)
        {
            try
            {
                return await call(limited).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (limited.IsCancellationRequested && !recordToken.IsCancellationRequested)
            {
                throw new AwsCallException("containment", AwsFailure.Timeout, null, null, "The containment time limit passed.", e);
            }
        }

        private static AwsCallException TimedOut(ContainmentAction action) =>
            new("containment:" + action, AwsFailure.Timeout, null, null, "The containment time limit passed before this step.");

        private static ContainmentResult Already(ContainmentEntry e) =>
            new(e.Action, ContainmentOutcome.AlreadyDone, DetailOf(e), CountOf(e));
    }
}
