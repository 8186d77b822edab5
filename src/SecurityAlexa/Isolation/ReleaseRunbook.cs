using SecurityAlexa.AwsContract;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// One instance's release: every interface gets its recorded groups back, then the protection and the marker go. The
/// table's record is the truth; the tags are read only when the table has no record and the user said yes to that.
/// </summary>
internal sealed class ReleaseRunbook(IIsolationAccount account, IsolationOptions options, IsolationLedger ledger, TimeProvider time)
{
    internal async Task<InstanceRelease> ReleaseOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc,
        ReleaseRequest request, IsolationEntry? record, CancellationToken ct)
    {
        if (record is null) return (await FromTagsAsync(subject, groupsByVpc, request, ct).ConfigureAwait(false)) with { FromTags = true };
        var id = subject.InstanceId;
        var now = time.GetUtcNow();
        // An isolation or another release at work right now (its record written within the minute): exactly one goes on.
        // A record that says isolated may still carry the short lease of its last moves in flight: that one does not block.
        if (record.IsActive(now) && record.State != IsolationEntry.Isolated)
            return new InstanceRelease(id, subject, ReleaseOutcome.Busy, []);
        IsolationEntry? claimed;
        try
        {
            claimed = await ledger.WriteAsync(record with { State = IsolationEntry.Releasing, WorkingUntil = now + IsolationRunbook.Lease },
                record.Version, now, ct).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            return new InstanceRelease(id, subject, ReleaseOutcome.Failed, [], Problems: [e]);
        }
        if (claimed is null) return new InstanceRelease(id, subject, ReleaseOutcome.Busy, []);

        var disagree = new List<string>();
        var interfaces = await Task.WhenAll(subject.Interfaces.OrderBy(i => i.DeviceIndex).Select(eni =>
        {
            var g = (eni.VpcId ?? subject.VpcId) is { } vpc ? groupsByVpc.GetValueOrDefault(vpc) : null;
            var originals = claimed.OriginalsOf(eni.Id);
            // Someone edited the mirror: the table's originals are restored, and that is said and posted.
            if (originals is not null && eni.Saved.State != SavedGroupsState.None
                && !(eni.Saved.IsSaved && eni.Saved.GroupIds.SequenceEqual(originals, StringComparer.Ordinal)))
            {
                lock (disagree) disagree.Add(eni.Id);
            }
            var saved = originals is null ? SavedGroups.None : new SavedGroups(SavedGroupsState.Saved, originals);
            // The interface's tag mirror goes with the instance's markers, once every interface has its groups back (issue 18).
            return ReleaseInterfaceAsync(eni, g, saved, subject.VpcId, ct, untag: false);
        })).ConfigureAwait(false);

        if (interfaces.Any(i => !i.IsDone))
        {
            // Not all undone: the record goes back to isolated, whole, so that a retry finds what it needs.
            await LetGoAsync(claimed with { State = IsolationEntry.Isolated, WorkingUntil = null }, claimed.Version).ConfigureAwait(false);
            var outcome = interfaces.Any(i => i.Outcome == InterfaceReleaseOutcome.Restored) ? ReleaseOutcome.Partial
                : ReleaseOutcome.Failed;
            return new InstanceRelease(id, subject, outcome, interfaces,
                Problems: interfaces.Where(i => i.Error is not null).Select(i => i.Error!).ToList(), TagsDisagree: disagree);
        }

        var done = await FinishAsync(subject, interfaces, claimed.TerminationProtectionBefore, request, ct, together: true)
            .ConfigureAwait(false);
        if (done.Outcome == ReleaseOutcome.Released)
        {
            try
            {
                if (await ledger.WriteAsync(claimed with { State = IsolationEntry.Released, ReleasedBy = request.RequestedBy,
                        ReleasedAt = request.At, WorkingUntil = null }, claimed.Version, time.GetUtcNow(), ct)
                    .ConfigureAwait(false) is null)
                    return done with { Outcome = ReleaseOutcome.Partial, TagsDisagree = disagree };
            }
            catch (AwsCallException e)
            {
                return done with { Outcome = ReleaseOutcome.Partial, Problems = [e], TagsDisagree = disagree };
            }
            return done with { TagsDisagree = disagree };
        }
        // Not finished (protection or the tags): the record stays releasing, without the lease, so that a retry goes on at once.
        await LetGoAsync(claimed with { WorkingUntil = null }, claimed.Version).ConfigureAwait(false);
        return done with { TagsDisagree = disagree };
    }

    // Gives the record back without this writer's lease; if even that fails, the lease simply runs out.
    private async Task LetGoAsync(IsolationEntry entry, long version)
    {
        try
        {
            await ledger.WriteAsync(entry, version, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (AwsCallException)
        {
            // The lease ends within a minute.
        }
    }

    // An isolation whose only record is in tags (an older version of the skill, or a table restored from a backup).
    private async Task<InstanceRelease> FromTagsAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc,
        ReleaseRequest request, CancellationToken ct)
    {
        var id = subject.InstanceId;
        var interfaces = await Task.WhenAll(subject.Interfaces.OrderBy(i => i.DeviceIndex).Select(eni =>
        {
            var g = (eni.VpcId ?? subject.VpcId) is { } vpc ? groupsByVpc.GetValueOrDefault(vpc) : null;
            return ReleaseInterfaceAsync(eni, g, eni.Saved, subject.VpcId, ct);
        })).ConfigureAwait(false);

        // Anything not undone keeps the whole record, so that a retry finds what it needs.
        if (interfaces.Any(i => !i.IsDone))
        {
            var outcome = interfaces.Any(i => i.Outcome == InterfaceReleaseOutcome.Restored) ? ReleaseOutcome.Partial
                : ReleaseOutcome.Failed;
            return new InstanceRelease(id, subject, outcome, interfaces,
                Problems: interfaces.Where(i => i.Error is not null).Select(i => i.Error!).ToList());
        }

        return await FinishAsync(subject, interfaces, IsolationRecord.ReadBool(subject.Tags, IsolationRecord.TerminationProtectionBefore),
            request, ct).ConfigureAwait(false);
    }

    // Termination protection as it was, then the tags that mirror the record. With the table's record (together), the
    // calls run at once, the interfaces' mirrors among them: the record, still releasing, keeps what a retry needs whichever
    // of them fails (issue 12 §8). Without one the tags are the only record, so they go only once protection is back.
    private async Task<InstanceRelease> FinishAsync(IsolationSubject subject, InterfaceReleaseResult[] interfaces, bool? before,
        ReleaseRequest request, CancellationToken ct, bool together = false)
    {
        var id = subject.InstanceId;
        if (together) return await FinishTogetherAsync(subject, interfaces, before, request, ct).ConfigureAwait(false);
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
            await account.TagAsync([id],
                new Dictionary<string, string> { [SkillTags.ReleasedAt] = IsolationRecord.FormatTime(request.At) }, ct)
                .ConfigureAwait(false);
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

    private async Task<InstanceRelease> FinishTogetherAsync(IsolationSubject subject, InterfaceReleaseResult[] interfaces, bool? before,
        ReleaseRequest request, CancellationToken ct)
    {
        var id = subject.InstanceId;
        var protection = before == false ? Attempt(() => account.SetTerminationProtectionAsync(id, false, ct))
            : Task.FromResult<AwsCallException?>(null);
        var released = Attempt(() => account.TagAsync([id],
            new Dictionary<string, string> { [SkillTags.ReleasedAt] = IsolationRecord.FormatTime(request.At) }, ct));
        var markers = IsolationRecord.InstanceMarkers.ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
        if (subject.Tags.TryGetValue(options.TriggerTagKey, out var trigger) && trigger == options.TriggerTagValue)
            markers[options.TriggerTagKey] = options.TriggerTagValue;
        var untagged = Attempt(() => account.UntagAsync([id], markers, ct));
        var mirrors = subject.Interfaces.Select(eni => IsolationRecord.InterfaceKeys(eni.Tags).ToList())
            .Select((keys, i) => (Eni: subject.Interfaces[i].Id, Keys: keys)).Where(m => m.Keys.Count > 0)
            .Select(m => Attempt(() => account.UntagAsync([m.Eni], m.Keys.ToDictionary(k => k, string? (_) => null,
                StringComparer.Ordinal), ct))).ToList();
        await Task.WhenAll([protection, released, untagged, .. mirrors]).ConfigureAwait(false);
        if (await protection.ConfigureAwait(false) is { } protectionError)
            return new InstanceRelease(id, subject, ReleaseOutcome.Partial, interfaces, TerminationProtectionNow: true,
                Problems: [protectionError]);
        var mirrorError = mirrors.Select(m => m.Result).FirstOrDefault(e => e is not null);
        if ((await released.ConfigureAwait(false) ?? await untagged.ConfigureAwait(false) ?? mirrorError) is { } tagError)
            return new InstanceRelease(id, subject, ReleaseOutcome.Partial, interfaces, before, Problems: [tagError]);
        return new InstanceRelease(id, subject, ReleaseOutcome.Released, interfaces, before);
    }

    private static async Task<AwsCallException?> Attempt(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return null;
        }
        catch (AwsCallException e)
        {
            return e;
        }
    }

    // untag: also remove the interface's tag mirror of the record now (false: the finish step does, with the instance's markers).
    private async Task<InterfaceReleaseResult> ReleaseInterfaceAsync(InterfaceState eni, VpcGroups? groups, SavedGroups saved,
        string? instanceVpc, CancellationToken ct, bool untag = true)
    {
        if (groups?.Error is { } findError) return new InterfaceReleaseResult(eni.Id, [], InterfaceReleaseOutcome.Failed, findError);
        // In a group the table names, or (for an isolation only tags remember) one with the skill's name.
        var inSkillGroup = (groups is not null && eni.GroupIds.Any(groups.IsSkillGroup)) || ((eni.VpcId ?? instanceVpc) is { } vpc
            && eni.Groups.Any(g => g.Name == IsolationRecord.GroupName(IsolationRecord.IsolationRole, vpc)
                || g.Name == IsolationRecord.GroupName(IsolationRecord.AllowAllRole, vpc)));
        var recordKeys = IsolationRecord.InterfaceKeys(eni.Tags).ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
        switch (saved.State)
        {
            case SavedGroupsState.None:
                return new InterfaceReleaseResult(eni.Id, [],
                    inSkillGroup ? InterfaceReleaseOutcome.NoUsableRecord : InterfaceReleaseOutcome.NothingToRestore);
            case SavedGroupsState.Unreadable when inSkillGroup:
                return new InterfaceReleaseResult(eni.Id, [], InterfaceReleaseOutcome.NoUsableRecord);
        }
        try
        {
            // Only an interface the skill moved is moved back; one it never moved keeps whatever it has now.
            if (inSkillGroup && saved.IsSaved) await account.SetInterfaceGroupsAsync(eni.Id, saved.GroupIds, ct).ConfigureAwait(false);
            if (untag) await account.UntagAsync([eni.Id], recordKeys, ct).ConfigureAwait(false);
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds,
                inSkillGroup ? InterfaceReleaseOutcome.Restored : InterfaceReleaseOutcome.NothingToRestore);
        }
        catch (AwsCallException e)
        {
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds, InterfaceReleaseOutcome.Failed, e);
        }
    }
}
