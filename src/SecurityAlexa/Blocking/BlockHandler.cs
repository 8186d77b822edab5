using System.Globalization;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Blocking;

/// <summary>
/// "Block 203.0.113.5", "block the top one": read back the subnet and every instance in it, and on a yes add a deny
/// entry for the address to the subnet's network ACL, inbound and outbound, under one rule number from the skill's
/// reserved range that no entry uses. The number is recorded in the state table before the entries are added.
/// </summary>
internal sealed class BlockHandler(ITargetResolver targets, INetworkAcls acls, BlockLedger ledger, BlockingOptions options)
    : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind.</summary>
    public const string Kind = "block";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["BlockAddressIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [BlockTargets.AddressSlot, TargetSpeech.InstanceNameSlot];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        BlockTargets.Done(turn, turn.Lang.Say("block.denied"), "denied");

    /// <inheritdoc />
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var (block, instance, acl, answer) = await BlockTargets.ResolveAsync(turn, targets, acls, topAllowed: true).ConfigureAwait(false);
        if (answer is not null) return answer;
        // Resolved: the address, the instance and its subnet's ACL are all there.
        var (target, subnet) = (block!, acl!);
        var (rules, _) = await ledger.ReadAsync(subnet.AclId, turn.Now, turn.Cancellation).ConfigureAwait(false);
        if (RefuseByLedger(turn, rules, target, subnet) is { } full) return full;
        if (RefuseProtected(turn, target, subnet) is { } refused) return refused;

        var readBack = lang.Say("block.readBack", ("address", target.Spoken), ("subnet", subnet.SubnetId),
            ("instances", BlockTargets.InstanceNames(lang, subnet)),
            ("count", lang.Count(Math.Max(subnet.Instances.Count, 1), "isolate.instance")));
        var pending = BlockTargets.Pending(Kind, "BlockAddressIntent", instance!, target, subnet);
        return Confirmation.Ask(turn, pending, readBack, lang.Say("block.readBack.reprompt", ("address", target.Spoken)),
            lang.Say("isolate.readBack.question"));
    }

    /// <inheritdoc />
    protected override async Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        Confirmation.Clear(turn);
        var lang = turn.Lang;
        var (block, _) = AddressBlock.Parse(pending.Args.GetValueOrDefault("cidr"));
        var aclId = pending.Args.GetValueOrDefault("acl") ?? "";
        if (block is null || pending.InstanceIds is not [var instanceId])
            return BlockTargets.Done(turn, lang.Say("block.changed"), "pending-invalid");

        // The subnet's ACL is read again: what was read back must still be what the entries go into.
        var acl = await acls.ForInstanceAsync(instanceId, turn.Cancellation).ConfigureAwait(false);
        if (acl is null || acl.AclId != aclId || block.Overlaps(acl.VpcCidrs))
            return BlockTargets.Done(turn, lang.Say("block.changed"), "acl-changed");
        if (RefuseProtected(turn, block, acl) is { } refused) return refused;
        var (rules, version) = await ledger.ReadAsync(aclId, turn.Now, turn.Cancellation).ConfigureAwait(false);
        if (RefuseByLedger(turn, rules, block, acl) is { } full) return full;
        if (FreeRule(acl, rules.Keys, options) is not { } rule)
            return BlockTargets.Done(turn, lang.Say("block.noRuleNumber", ("subnet", acl.SubnetId)), "no-rule-number");

        // Recorded first: a crash between here and the entries leaves a number the unblock can still clean up.
        if (!await ledger.ClaimAsync(aclId, acl.SubnetId, rule, block.Cidr, version, turn.Now, turn.Cancellation).ConfigureAwait(false))
            return BlockTargets.Done(turn, lang.Say("block.raced"), "raced");

        var added = new List<bool>();
        try
        {
            foreach (var egress in new[] { false, true })
            {
                await acls.AddDenyAsync(aclId, rule, egress, block.Cidr, turn.Cancellation).ConfigureAwait(false);
                added.Add(egress);
            }
        }
        catch (AwsCallException e)
        {
            turn.Log.Warn("block.failed", ("requestId", turn.RequestId), ("acl", aclId), ("rule", rule), ("failure", e.Failure.ToString()));
            var undone = await UndoAsync(turn, aclId, rule, added).ConfigureAwait(false);
            if (undone)
            {
                var (now, v) = await ledger.ReadAsync(aclId, turn.Now, turn.Cancellation).ConfigureAwait(false);
                if (now.ContainsKey(rule)) await ledger.ReleaseAsync(aclId, [rule], v, turn.Now, turn.Cancellation).ConfigureAwait(false);
            }
            turn.Audit.Note("block.failed", block.Cidr + " " + aclId + " rule " + rule.ToString(CultureInfo.InvariantCulture));
            return BlockTargets.Done(turn, Spoken.Join(lang.Say(added.Count == 0 || undone ? "block.failed" : "block.failedHalf",
                ("address", block.Spoken), ("subnet", acl.SubnetId)), ErrorSpeech.ForAws(lang, e)), "failed");
        }

        turn.Log.Info("block.added", ("requestId", turn.RequestId), ("acl", aclId), ("subnet", acl.SubnetId), ("rule", rule),
            ("cidr", block.Cidr));
        turn.Audit.Note("block.added", block.Cidr + " " + aclId + " rule " + rule.ToString(CultureInfo.InvariantCulture));
        var said = lang.Say("block.done", ("address", block.Spoken), ("subnet", acl.SubnetId));
        return BlockTargets.Done(turn, said, "blocked")
            .WithCard(lang.Text("block.card.title"), lang.Text("block.card.done", ("cidr", block.Cidr), ("acl", aclId),
                ("subnet", acl.SubnetId),
                ("rule", rule), ("instances", string.Join(", ", acl.Instances.Select(i => i.DisplayName + " (" + i.Id + ")")))));
    }

    // The skill's own record of the ACL: the address already blocked, or as many blocks as one ACL may hold. Checked at the
    // read-back and again before acting, since another session may have blocked in between.
    private Reply? RefuseByLedger(TurnContext turn, IReadOnlyDictionary<int, string> rules, AddressBlock block, SubnetAcl acl)
    {
        var lang = turn.Lang;
        if (rules.Values.Contains(block.Cidr, StringComparer.Ordinal))
            return BlockTargets.Done(turn, lang.Say("block.already", ("address", block.Spoken), ("subnet", acl.SubnetId)),
                "already-blocked");
        return rules.Count >= options.MaxPerAcl
            ? BlockTargets.Done(turn, lang.Say("block.refused.aclFull", ("address", block.Spoken), ("subnet", acl.SubnetId),
                ("max", options.MaxPerAcl)), "refused-AclFull")
            : null;
    }

    // An entry in a subnet's ACL changes the traffic of every instance in it, and a SecurityAlexa:Protected one is never changed.
    private static Reply? RefuseProtected(TurnContext turn, AddressBlock block, SubnetAcl acl)
    {
        var shielded = acl.Instances.Where(i => i.Protected).Select(i => i.DisplayName).ToList();
        if (shielded.Count == 0) return null;
        turn.Audit.Note("block.refusedProtected", block.Cidr + " " + acl.AclId);
        return BlockTargets.Done(turn, turn.Lang.Say(shielded.Count == 1 ? "block.refused.protected.one" : "block.refused.protected.many",
            ("address", block.Spoken), ("subnet", acl.SubnetId), ("names", turn.Lang.ListSome(shielded, 5))), "refused-protected");
    }

    /// <summary>The lowest number of the reserved range that no entry (either direction) and no recorded block uses.</summary>
    public static int? FreeRule(SubnetAcl acl, IEnumerable<int> recorded, BlockingOptions options)
    {
        var used = acl.Entries.Select(e => e.RuleNumber).Concat(recorded).ToHashSet();
        for (var n = options.FirstRule; n <= options.LastRule; n++)
            if (!used.Contains(n)) return n;
        return null;
    }

    // Takes back the entries this attempt added; true when none of them is left.
    private async Task<bool> UndoAsync(TurnContext turn, string aclId, int rule, List<bool> added)
    {
        var ok = true;
        foreach (var egress in added)
        {
            try
            {
                await acls.RemoveAsync(aclId, rule, egress, turn.Cancellation).ConfigureAwait(false);
            }
            catch (AwsCallException)
            {
                ok = false;
            }
        }
        return ok;
    }
}
