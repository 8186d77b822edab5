using System.Globalization;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Blocking;

/// <summary>
/// "Unblock 203.0.113.5": on a yes, removes exactly the entries the skill recorded for that address in the subnet's ACL,
/// and only while each is still the deny the skill added; an entry someone else has put under that number stays.
/// </summary>
internal sealed class UnblockHandler(ITargetResolver targets, INetworkAcls acls, BlockLedger ledger) : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind.</summary>
    public const string Kind = "unblock";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["UnblockAddressIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [BlockTargets.AddressSlot, TargetSpeech.InstanceNameSlot];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        BlockTargets.Done(turn, turn.Lang.Say("unblock.denied"), "denied");

    /// <inheritdoc />
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var (block, instance, acl, answer) = await BlockTargets.ResolveAsync(turn, targets, acls, topAllowed: false).ConfigureAwait(false);
        if (answer is not null) return answer;
        var (rules, _) = await ledger.ReadAsync(acl!.AclId, turn.Now, turn.Cancellation).ConfigureAwait(false);
        if (!rules.Values.Contains(block!.Cidr, StringComparer.Ordinal))
            return BlockTargets.Done(turn, lang.Say("unblock.notBlocked", ("address", block.Spoken), ("subnet", acl.SubnetId)),
                "not-blocked");
        var pending = BlockTargets.Pending(Kind, "UnblockAddressIntent", instance!, block, acl);
        return Confirmation.Ask(turn, pending, lang.Say("unblock.readBack", ("address", block.Spoken), ("subnet", acl.SubnetId),
                ("instances", BlockTargets.InstanceNames(lang, acl))),
            lang.Say("unblock.readBack.reprompt", ("address", block.Spoken)), lang.Say("isolate.readBack.question"));
    }

    /// <inheritdoc />
    protected override async Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        Confirmation.Clear(turn);
        var lang = turn.Lang;
        var (block, _) = AddressBlock.Parse(pending.Args.GetValueOrDefault("cidr"));
        var aclId = pending.Args.GetValueOrDefault("acl") ?? "";
        var subnet = pending.Args.GetValueOrDefault("subnet") ?? "";
        if (block is null || pending.InstanceIds is not [var instanceId])
            return BlockTargets.Done(turn, lang.Say("block.changed"), "pending-invalid");
        var acl = await acls.ForInstanceAsync(instanceId, turn.Cancellation).ConfigureAwait(false);
        if (acl is null || acl.AclId != aclId) return BlockTargets.Done(turn, lang.Say("block.changed"), "acl-changed");

        var (rules, version) = await ledger.ReadAsync(aclId, turn.Now, turn.Cancellation).ConfigureAwait(false);
        var ours = rules.Where(r => r.Value == block.Cidr).Select(r => r.Key).ToList();
        if (ours.Count == 0)
            return BlockTargets.Done(turn, lang.Say("unblock.notBlocked", ("address", block.Spoken), ("subnet", subnet)), "not-blocked");

        var forgotten = new List<int>();
        var leftAlone = 0;
        try
        {
            foreach (var rule in ours)
            {
                foreach (var egress in new[] { false, true })
                {
                    var entry = acl.Entries.FirstOrDefault(e => e.RuleNumber == rule && e.Egress == egress);
                    if (entry is null) continue;
                    // Only the deny the skill added; anything else under the number is someone else's now.
                    if (!entry.Deny || entry.Cidr != block.Cidr)
                    {
                        leftAlone++;
                        continue;
                    }
                    await acls.RemoveAsync(aclId, rule, egress, turn.Cancellation).ConfigureAwait(false);
                }
                forgotten.Add(rule);
            }
        }
        catch (AwsCallException e)
        {
            turn.Log.Warn("unblock.failed", ("requestId", turn.RequestId), ("acl", aclId), ("failure", e.Failure.ToString()));
            if (forgotten.Count > 0)
                await ledger.ReleaseAsync(aclId, forgotten, version, turn.Now, turn.Cancellation).ConfigureAwait(false);
            return BlockTargets.Done(turn, Spoken.Join(lang.Say("unblock.failed", ("address", block.Spoken), ("subnet", subnet)),
                ErrorSpeech.ForAws(lang, e)), "failed");
        }
        await ledger.ReleaseAsync(aclId, forgotten, version, turn.Now, turn.Cancellation).ConfigureAwait(false);
        turn.Log.Info("unblock.removed", ("requestId", turn.RequestId), ("acl", aclId), ("rules", forgotten), ("cidr", block.Cidr));
        turn.Audit.Note("unblock.removed", block.Cidr + " " + aclId + " rules " + string.Join(",",
            forgotten.Select(n => n.ToString(CultureInfo.InvariantCulture))));
        var said = lang.Say("unblock.done", ("address", block.Spoken), ("subnet", subnet));
        if (leftAlone > 0) said = Spoken.Join(said, lang.Say("unblock.leftAlone"));
        return BlockTargets.Done(turn, said, "unblocked");
    }
}
