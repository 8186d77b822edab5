using System.Globalization;
using System.Text.RegularExpressions;
using SecurityAlexa.State;

namespace SecurityAlexa.Blocking;

/// <summary>
/// The skill's blocks in one network ACL, as one state-table item (block#acl#{aclId}): each rule number the skill
/// holds, with its CIDR. A number is written here before its entries are added and removed only after they are gone,
/// so an unblock finds exactly the skill's entries and never another's. Writes are versioned: two containers
/// blocking in one ACL at once cannot take the same number.
/// </summary>
internal sealed partial class BlockLedger(IStateTable table)
{
    private const string RulePrefix = "rule#";

    /// <summary>The item key of an ACL's blocks; the id is checked, so nothing else becomes a key.</summary>
    public static string Key(string aclId) => AclId().IsMatch(aclId) ? "block#acl#" + aclId
        : throw new ArgumentException("Not a network ACL id.", nameof(aclId));

    /// <summary>The skill's rules in the ACL (number to CIDR) and the item's version (0: none).</summary>
    public async Task<(IReadOnlyDictionary<int, string> Rules, long Version)> ReadAsync(string aclId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var item = await table.GetAsync(Key(aclId), now, cancellationToken).ConfigureAwait(false);
        if (item is null) return (new Dictionary<int, string>(), 0);
        var rules = new Dictionary<int, string>();
        foreach (var (name, value) in item.Attributes)
            if (name.StartsWith(RulePrefix, StringComparison.Ordinal) && value.Text is { } cidr
                && int.TryParse(name.AsSpan(RulePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                rules[n] = cidr;
        return (rules, Math.Max(item.Version, 1));
    }

    /// <summary>Records a rule number for the CIDR if nobody changed the ACL's item since it was read; false when someone did.</summary>
    public Task<bool> ClaimAsync(string aclId, string subnetId, int ruleNumber, string cidr, long version, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        WriteAsync(aclId, version, now, update => update.Set("subnet", StateValue.Of(subnetId))
            .Set(RulePrefix + ruleNumber.ToString(CultureInfo.InvariantCulture), StateValue.Of(cidr)), cancellationToken);

    /// <summary>Forgets rule numbers once their entries are gone; false when the item changed meanwhile.</summary>
    public Task<bool> ReleaseAsync(string aclId, IEnumerable<int> ruleNumbers, long version, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        WriteAsync(aclId, version, now, update =>
        {
            foreach (var n in ruleNumbers) update.Remove(RulePrefix + n.ToString(CultureInfo.InvariantCulture));
            return update;
        }, cancellationToken);

    private async Task<bool> WriteAsync(string aclId, long version, DateTimeOffset now, Func<StateUpdate, StateUpdate> change,
        CancellationToken cancellationToken)
    {
        var update = change(new StateUpdate()
            .Set(StateItem.KindAttribute, StateValue.Of("block"))
            .Set("acl", StateValue.Of(aclId))
            .Set(StateItem.VersionAttribute, StateValue.Of(version + 1))
            .Set("updatedAt", StateValue.Of(now)));
        var condition = version == 0 ? StateCondition.Absent : StateCondition.VersionIs(version);
        var written = await table.UpdateAsync(Key(aclId), update, condition, now, cancellationToken).ConfigureAwait(false);
        return written is not null;
    }

    [GeneratedRegex("^acl-[0-9a-f]{8,17}$")]
    private static partial Regex AclId();
}
