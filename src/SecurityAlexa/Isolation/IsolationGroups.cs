using SecurityAlexa.AwsContract;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The skill's two groups in each VPC (isolation: no rules; allow-all: every flow), found by their role tag or
/// created, and repaired when a rule is missing. A group created at the same moment by another invocation is adopted.
/// </summary>
internal sealed class IsolationGroups(IIsolationAccount account)
{
    internal async Task<Dictionary<string, VpcGroups>> EnsureAsync(IReadOnlyList<string> vpcIds, bool create, CancellationToken ct)
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
            var (id, adopted) = await CreateOrAdoptAsync(vpc, IsolationRecord.IsolationRole,
                "No inbound or outbound rules: an isolated interface can reach nothing and nothing can reach it.",
                ct).ConfigureAwait(false);
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
            var (id, adopted) = await CreateOrAdoptAsync(vpc, IsolationRecord.AllowAllRole,
                "Allows all traffic for a moment during isolation, so that tracked connections become untracked.",
                ct).ConfigureAwait(false);
            if (adopted is null || adopted.IngressRules == 0) await account.AllowAllTrafficAsync(id, ct).ConfigureAwait(false);
            return id;
        }
        if (existing.IngressRules == 0) await account.AllowAllTrafficAsync(existing.Id, ct).ConfigureAwait(false);
        return existing.Id;
    }

    private async Task<(string Id, SkillGroup? Adopted)> CreateOrAdoptAsync(string vpc, string role, string description,
        CancellationToken ct)
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
}
