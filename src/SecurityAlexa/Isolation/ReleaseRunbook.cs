using SecurityAlexa.AwsContract;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>One instance's release: every interface gets its recorded groups back, then the protection and the marker go.</summary>
internal sealed class ReleaseRunbook(IIsolationAccount account, IsolationOptions options)
{
    internal async Task<InstanceRelease> ReleaseOneAsync(IsolationSubject subject, IReadOnlyDictionary<string, VpcGroups> groupsByVpc,
        ReleaseRequest request, CancellationToken ct)
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
            var outcome = interfaces.Any(i => i.Outcome == InterfaceReleaseOutcome.Restored) ? ReleaseOutcome.Partial
                : ReleaseOutcome.Failed;
            return new InstanceRelease(id, subject, outcome, interfaces,
                Problems: interfaces.Where(i => i.Error is not null).Select(i => i.Error!).ToList());
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

    private async Task<InterfaceReleaseResult> ReleaseInterfaceAsync(InterfaceState eni, VpcGroups? groups, CancellationToken ct)
    {
        if (groups?.Error is { } findError) return new InterfaceReleaseResult(eni.Id, [], InterfaceReleaseOutcome.Failed, findError);
        var inSkillGroup = groups is not null && eni.GroupIds.Any(groups.IsSkillGroup);
        var saved = eni.Saved;
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
            await account.UntagAsync([eni.Id], recordKeys, ct).ConfigureAwait(false);
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds,
                inSkillGroup ? InterfaceReleaseOutcome.Restored : InterfaceReleaseOutcome.NothingToRestore);
        }
        catch (AwsCallException e)
        {
            return new InterfaceReleaseResult(eni.Id, saved.GroupIds, InterfaceReleaseOutcome.Failed, e);
        }
    }
}
