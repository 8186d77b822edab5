using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The skill's two groups in each VPC (isolation: no rules; allow-all: every flow), known by the ids the state table
/// recorded when the skill created them, or created; repaired when a rule is missing. A group that only carries the
/// skill's name and role tag is not the skill's: anyone who can create a group can give it those (issue 13 §3).
/// </summary>
internal sealed class IsolationGroups(IIsolationAccount account, IsolationLedger ledger, TimeProvider time)
{
    /// <summary>Starts the reads (the groups as they are, and the table's ids) for VPCs known early; nothing is created.</summary>
    internal Dictionary<string, Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)>> Prefetch(
        IEnumerable<string> vpcIds, CancellationToken ct) =>
        vpcIds.Distinct(StringComparer.Ordinal).ToDictionary(vpc => vpc, vpc => ReadVpcAsync(vpc, ct), StringComparer.Ordinal);

    internal async Task<Dictionary<string, VpcGroups>> EnsureAsync(IReadOnlyList<string> vpcIds, bool create, CancellationToken ct,
        IReadOnlyDictionary<string, Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)>>?
            prefetched = null)
    {
        var found = await Task.WhenAll(vpcIds.Select(async vpc =>
        {
            try
            {
                return await EnsureVpcAsync(vpc, create, prefetched?.GetValueOrDefault(vpc), ct).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                return new VpcGroups(vpc, null, null, e);
            }
        })).ConfigureAwait(false);
        return found.ToDictionary(g => g.VpcId, StringComparer.Ordinal);
    }

    // Both only read: the groups as they are, and which of them the skill created.
    private async Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)> ReadVpcAsync(string vpc,
        CancellationToken ct)
    {
        var recordedTask = ledger.CreatedGroupsAsync(vpc, time.GetUtcNow(), ct);
        IReadOnlyList<SkillGroup> found;
        try
        {
            found = await account.FindSkillGroupsAsync(vpc, ct).ConfigureAwait(false);
        }
        finally
        {
            Observed.Forget(recordedTask);
        }
        return (found, await recordedTask.ConfigureAwait(false));
    }

    private async Task<VpcGroups> EnsureVpcAsync(string vpc, bool create,
        Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)>? prefetched, CancellationToken ct)
    {
        var (found, recorded) = await (prefetched ?? ReadVpcAsync(vpc, ct)).ConfigureAwait(false);
        var isolation = Pick(found, recorded, IsolationRecord.IsolationRole);
        var allowAll = Pick(found, recorded, IsolationRecord.AllowAllRole);
        // An isolation group with rules is never used, and is said, whatever else happens.
        var unsafeNow = isolation is { } iso && (iso.IngressRules > 0 || iso.EgressRules > 0) ? iso.Id : null;
        if (!create) return new VpcGroups(vpc, unsafeNow is null ? isolation?.Id : null, allowAll?.Id, UnsafeGroupId: unsafeNow);

        var isolationTask = EnsureIsolationGroupAsync(vpc, isolation, recorded.GetValueOrDefault(IsolationRecord.IsolationRole), ct);
        var allowAllTask = EnsureAllowAllGroupAsync(vpc, allowAll, recorded.GetValueOrDefault(IsolationRecord.AllowAllRole), ct);
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

    private async Task<(string? Id, string? UnsafeId)> EnsureIsolationGroupAsync(string vpc, SkillGroup? existing, string? gone,
        CancellationToken ct)
    {
        if (existing is null)
        {
            var id = await CreateAsync(vpc, IsolationRecord.IsolationRole,
                "No inbound or outbound rules: an isolated interface can reach nothing and nothing can reach it.",
                gone, ct).ConfigureAwait(false);
            // Already gone counts as done: what matters is that the group has no egress rule.
            await account.RevokeDefaultEgressAsync(id, ct).ConfigureAwait(false);
            return (id, null);
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

    private async Task<string> EnsureAllowAllGroupAsync(string vpc, SkillGroup? existing, string? gone, CancellationToken ct)
    {
        if (existing is null)
        {
            var id = await CreateAsync(vpc, IsolationRecord.AllowAllRole,
                "Allows all traffic for a moment during isolation, so that tracked connections become untracked.",
                gone, ct).ConfigureAwait(false);
            // Rules already there count as done: what matters is that the group lets everything through.
            await account.AllowAllTrafficAsync(id, ct).ConfigureAwait(false);
            return id;
        }
        if (existing.IngressRules == 0) await account.AllowAllTrafficAsync(existing.Id, ct).ConfigureAwait(false);
        return existing.Id;
    }

    // Created and recorded at once: its id in the table is what makes it the skill's. A group of that name that the table does
    // not know (made by someone else, or by an invocation racing this one) is refused, never adopted.
    // gone: the id recorded for the role whose group no longer exists (deleted by hand), which the new one replaces.
    private async Task<string> CreateAsync(string vpc, string role, string description, string? gone, CancellationToken ct)
    {
        var name = IsolationRecord.GroupName(role, vpc);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [SkillTags.GroupRole] = role, ["Name"] = name };
        var created = await account.CreateGroupAsync(new NewSkillGroup(vpc, name, description, tags), ct).ConfigureAwait(false)
            ?? throw new AwsCallException(AwsOperations.Ec2CreateSecurityGroup, AwsFailure.InvalidRequest,
                AwsErrorCodes.Ec2GroupDuplicate, System.Net.HttpStatusCode.BadRequest,
                $"A group named {name} exists in {vpc} that this skill's records do not name; it is not used. Delete it, or try again "
                + "in a minute if another isolation is creating it now.");
        var recorded = await ledger.RecordCreatedGroupAsync(vpc, role, created, gone, time.GetUtcNow(), ct).ConfigureAwait(false);
        if (recorded == created) return created;
        throw new AwsCallException(AwsOperations.Ec2CreateSecurityGroup, AwsFailure.InvalidRequest, AwsErrorCodes.Ec2GroupDuplicate,
            System.Net.HttpStatusCode.BadRequest, $"Another isolation recorded a different {role} group in {vpc} at the same moment.");
    }

    /// <summary>
    /// True when a read from <see cref="Prefetch"/> has finished and found both of the VPC's groups ready to use as they are,
    /// so that <see cref="EnsureAsync"/> will make no call for that VPC.
    /// </summary>
    internal static bool NeedsNoCalls(Task<(IReadOnlyList<SkillGroup> Found, IReadOnlyDictionary<string, string> Recorded)>? read) =>
        read is { IsCompletedSuccessfully: true } && read.Result is var (found, recorded)
        && Pick(found, recorded, IsolationRecord.IsolationRole) is { IngressRules: 0, EgressRules: 0 }
        && Pick(found, recorded, IsolationRecord.AllowAllRole) is { IngressRules: > 0 };

    // Only a group whose id the table recorded, and that still carries the role.
    private static SkillGroup? Pick(IReadOnlyList<SkillGroup> groups, IReadOnlyDictionary<string, string> recorded, string role) =>
        recorded.TryGetValue(role, out var id) ? groups.FirstOrDefault(g => g.Id == id && g.Role == role) : null;
}
