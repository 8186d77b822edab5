using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Blocking;

/// <summary>
/// Turns "block 203.0.113.5 for web-1" (or "the top one", after "who is hitting web-1") into the address block, the
/// instance and its subnet's ACL; or into the answer that says why not.
/// </summary>
internal static class BlockTargets
{
    /// <summary>The address slot of BlockAddressIntent and UnblockAddressIntent.</summary>
    public const string AddressSlot = "Address";

    private static readonly HashSet<string> TopOne = new(StringComparer.Ordinal)
    {
        "the top one", "top one", "the top address", "top address", "the first one", "the busiest one", "the top source",
        "一番上", "一番上のもの", "トップ", "一番多いもの",
    };

    /// <summary>What was resolved, or the answer to give instead.</summary>
    internal sealed record Resolved(AddressBlock? Block, InstanceInfo? Instance, SubnetAcl? Acl, Reply? Reply);

    /// <summary>Reads the address (strictly) and the instance, then the instance's subnet ACL.</summary>
    public static async Task<Resolved> ResolveAsync(TurnContext turn, ITargetResolver targets, INetworkAcls acls, bool topAllowed)
    {
        var lang = turn.Lang;
        var memory = turn.State.Blocking;
        // An exact match of one of the model's example values comes back as its written-out words; anything else as heard.
        var slot = turn.Slot(AddressSlot);
        var heard = (slot.ResolvedName ?? slot.Heard)?.Trim().ToLowerInvariant();
        string? written;
        string said;
        if (string.IsNullOrEmpty(heard) || TopOne.Contains(heard))
        {
            if (!topAllowed || memory is not { Top.Count: > 0 })
                return Answer(turn, lang.Say(topAllowed ? "block.noTop" : "block.whichAddress"), "no-address");
            written = memory.Top[0];
            said = written;
        }
        else
        {
            written = SpokenAddress.Read(heard);
            said = heard;
        }

        var (block, refusal) = AddressBlock.Parse(written);
        if (refusal is { } why) return Answer(turn, Refusal(lang, why, written ?? said), "refused-" + why);

        var instance = await InstanceAsync(turn, targets, memory).ConfigureAwait(false);
        if (instance.Reply is not null) return new Resolved(null, null, null, instance.Reply);
        var acl = await acls.ForInstanceAsync(instance.Instance!.Id, turn.Cancellation).ConfigureAwait(false);
        if (acl is null) return Answer(turn, lang.Say("block.noSubnet", ("name", instance.Instance.DisplayName)), "no-subnet");
        if (block!.Overlaps(acl.VpcCidrs)) return Answer(turn, Refusal(lang, BlockRefusal.InsideVpc, block.Spoken), "refused-InsideVpc");
        return new Resolved(block, instance.Instance, acl, null);
    }

    /// <summary>The spoken refusal.</summary>
    public static Spoken Refusal(Lang lang, BlockRefusal why, string address) => why switch
    {
        BlockRefusal.NotAnAddress => lang.Say("block.refused.notAnAddress", ("address", address)),
        BlockRefusal.Everything => lang.Say("block.refused.everything"),
        BlockRefusal.TooWide => lang.Say("block.refused.tooWide", ("address", address), ("v4", AddressBlock.WidestIpv4Prefix),
            ("v6", AddressBlock.WidestIpv6Prefix)),
        BlockRefusal.InsideVpc => lang.Say("block.refused.insideVpc", ("address", address)),
        _ => lang.Say("block.refused.aclFull", ("address", address)),
    };

    /// <summary>What a yes acts on: the address, the ACL and subnet it was read back for, and the instance that named them.</summary>
    public static PendingAction Pending(string kind, string intent, InstanceInfo instance, AddressBlock block, SubnetAcl acl) => new()
    {
        Kind = kind,
        Intent = intent,
        InstanceIds = [instance.Id],
        Args = new Dictionary<string, string> { ["cidr"] = block.Cidr, ["acl"] = acl.AclId, ["subnet"] = acl.SubnetId },
    };

    /// <summary>The subnet's instances as read back: every name, or "no instances".</summary>
    public static string InstanceNames(Lang lang, SubnetAcl acl) => acl.Instances.Count == 0
        ? lang.Text("block.readBack.noInstances")
        : lang.List(acl.Instances.Select(i => i.DisplayName));

    /// <summary>An answer that changes nothing and keeps the conversation open.</summary>
    public static Resolved Answer(TurnContext turn, Spoken said, string outcome) => new(null, null, null, Done(turn, said, outcome));

    /// <summary>Says it, then "anything else?".</summary>
    public static Reply Done(TurnContext turn, Spoken said, string outcome) =>
        Reply.Ask(Spoken.Join(said, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse")).Labelled(outcome);

    // The instance named now; else the one "who is hitting" was asked about; else the one in focus.
    private static async Task<(InstanceInfo? Instance, Reply? Reply)> InstanceAsync(TurnContext turn, ITargetResolver targets,
        BlockingMemory? memory)
    {
        var lang = turn.Lang;
        IReadOnlyList<InstanceInfo> found;
        if (turn.Slot(TargetSpeech.InstanceNameSlot).HasValue)
        {
            var resolved = await IsolationTargets.ResolveAsync(turn, targets, "block.whichInstance").ConfigureAwait(false);
            if (resolved.Reply is { } ask) return (null, ask);
            found = resolved.Instances!;
        }
        else if (memory is { InstanceId.Length: > 0 })
            found = await targets.DescribeAsync([memory.InstanceId], turn.Cancellation).ConfigureAwait(false);
        else if (turn.State.Focus is { InstanceIds.Count: 1 } focus)
            found = await targets.DescribeAsync(focus.InstanceIds, turn.Cancellation).ConfigureAwait(false);
        else found = [];
        if (found is [var one]) return (one, null);
        return (null, Done(turn, lang.Say(found.Count == 0 ? "block.whichInstance" : "block.oneInstance"), "which-instance"));
    }
}
