using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The answers that stop a patch, or hold it back, before anything is sent: each forgets the open question, writes its
/// audit outcome and says why.
/// </summary>
internal static class PatchRefusals
{
    /// <summary>Nothing left that can be patched: every instance skipped, and why.</summary>
    public static Reply NothingEligible(TurnContext turn, PatchAssessment assessment, Spoken? extra = null)
    {
        Confirmation.Clear(turn);
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "nothing-eligible", skipped: assessment.Skipped.Select(s => s.Instance.Id));
        var speech = Spoken.Join(PatchSpeech.Skipped(turn.Lang, assessment.Skipped), extra, turn.Lang.Say("patch.nothingEligible"));
        return Reply.Tell(speech).Labelled("nothing-eligible");
    }

    /// <summary>A name in the answer to "which ones?" that was not offered: ask again, naming what was.</summary>
    public static Reply NotOffered(TurnContext turn, string heard, TargetMemory offered)
    {
        var question = turn.Lang.Say("patch.choose.notOffered", ("heard", heard),
            ("names", turn.Lang.ListOr(offered.Names.Take(PatchSpeech.SpokenNames))));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot,
            PatchCandidateFinder.InstanceNameSlot);
        return Reply.ElicitSlot(question, question, PatchSelection.SelectionSlot, intent).Labelled("which-ones-again");
    }

    /// <summary>Above what goes by id in a few commands, and not the whole tag: refuse rather than trim or widen.</summary>
    public static Reply TooManyById(TurnContext turn, int count, string description, TagSelector? tag)
    {
        PatchConversationMemory.SetChoice(turn, null);
        Confirmation.Clear(turn);
        PatchAudit.Write(turn, "patch", "refused-too-many-by-id");
        if (tag is not null) PatchAudit.TagSet(turn, tag.Key, tag.Value, count, null);
        var lang = turn.Lang;
        return Reply.Ask(lang.Say("patch.large.tooManyById", ("what", lang.Count(count, "instance")), ("limit", PatchSettings.MaxById),
            ("desc", description)),
            lang.Say("patch.needTargets.reprompt")).Labelled("too-many-by-id");
    }

    /// <summary>Not enough of the turn left to send and hear back: send nothing, and ask the same question again.</summary>
    public static Reply NotSentSlow(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        turn.Log.Warn("patch.send.deferred", ("requestId", turn.RequestId), ("left", TurnBudget.Left(turn)));
        PatchAudit.Write(turn, "patch", "deferred-slow", pending.InstanceIds);
        var what = PatchSpeech.What(lang, pending.Size);
        return ReadBackScreen.Show(turn, Confirmation.Ask(turn, pending with { }, lang.Say("patch.slow.notSent", ("what", what)),
            lang.Say("patch.confirm.reprompt", ("what", what)), lang.Say("patch.confirm.question")), []);
    }

    /// <summary>
    /// The isolation records could not be read after the yes: nothing is sent, and the same read-back is asked again (it
    /// stays pending), so the yes can be said again once the table answers.
    /// </summary>
    public static Reply NotSentRecordsUnread(TurnContext turn, PendingAction pending, AwsContract.AwsCallException e)
    {
        var lang = turn.Lang;
        var error = e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString());
        turn.Log.Warn("patch.send.records-unread", ("requestId", turn.RequestId), ("error", error));
        PatchAudit.Write(turn, "patch", "records-unread", pending.InstanceIds, error: error);
        PatchPending.AuditTagSet(turn, pending);
        var what = PatchSpeech.What(lang, pending.Size);
        return ReadBackScreen.Show(turn, Confirmation.Ask(turn, pending with { },
            Spoken.Join(ErrorSpeech.ForAws(lang, e), lang.Say("patch.recordsUnread.notSent", ("what", what))),
            lang.Say("patch.confirm.reprompt", ("what", what)), lang.Say("patch.confirm.question")), []);
    }

    /// <summary>
    /// The command's reference could not be written to the state table before SendCommand: nothing is sent, because
    /// without it a retry could not tell whether this one went out.
    /// </summary>
    public static Reply NotRecorded(TurnContext turn, string reference, string error)
    {
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "not-recorded", reference: reference, error: error);
        turn.Log.Warn("patch.not-recorded", ("requestId", turn.RequestId), ("ref", reference), ("error", error));
        return Reply.Tell(turn.Lang.Say("patch.reference.failed")).Labelled("patch-not-recorded");
    }

    /// <summary>
    /// What stops a large tag patch before anything is offered or sent: the tag gone or too large to read, isolated or
    /// protected instances in it, managed nodes outside EC2 carrying it (or no way to tell), nothing running or managed.
    /// Null when nothing stops it.
    /// </summary>
    public static Reply? StopLarge(TurnContext turn, TagGroup? group, TagSelector tag, string description)
    {
        var lang = turn.Lang;
        if (group is null)
        {
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "tag-gone");
            return Reply.Tell(lang.Say("patch.large.gone", ("desc", description))).Labelled("nothing-eligible");
        }
        if (group.TooManyToRead)
        {
            // Not gone: more than a turn may read. Nothing is said about what the tag covers, and nothing is sent.
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "too-many-to-read");
            return Reply.Tell(lang.Say("patch.large.tooManyToRead", ("desc", description))).Labelled("too-many-to-read");
        }
        // A tag-targeted command would reach isolated or protected instances; the only safe answer is to send nothing.
        if (group.Isolated.Count > 0) return RefuseInTag(turn, group, tag, description, group.Isolated, "isolated");
        if (group.Protected.Count > 0) return RefuseInTag(turn, group, tag, description, group.Protected, "protected");
        if (group.OffEc2?.Clears(group.Tag) != true) return RefuseOffEc2(turn, group, tag, description, group.OffEc2);
        if (group.Running.Count == 0 || group.SampledAgents.Count == 0)
        {
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "nothing-eligible");
            PatchAudit.TagSet(turn, tag.Key, tag.Value, group.Addressed.Count, group.Digest);
            var key = group.Running.Count == 0 ? "patch.large.noneRunning" : "patch.large.noAgents";
            return Reply.Tell(lang.Say(key, ("what", PatchSpeech.What(lang, group.Addressed.Count, description))))
                .Labelled("nothing-eligible");
        }
        return null;
    }

    // "refused-isolated-in-tag" or "refused-protected-in-tag": audited with the tag set, and said with the names.
    private static Reply RefuseInTag(TurnContext turn, TagGroup group, TagSelector tag, string description,
        IReadOnlyList<InstanceInfo> ones, string why)
    {
        var lang = turn.Lang;
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "refused-" + why + "-in-tag", skipped: ones.Select(i => i.Id).Take(InstanceSet.MaxIds));
        PatchAudit.TagSet(turn, tag.Key, tag.Value, group.Addressed.Count, group.Digest);
        return Reply.Tell(lang.Say("patch.large." + why + (ones.Count == 1 ? ".one" : ".other"),
                ("count", lang.Count(ones.Count, "instance")),
                ("what", PatchSpeech.What(lang, group.Addressed.Count, description)),
                ("names", PatchSpeech.Names(lang, ones.Select(i => i.DisplayName)))))
            .Labelled("refused-" + why + "-in-tag");
    }

    // Managed nodes outside EC2 carry the tag (or it could not be told): a tag-targeted command would reach them, unread and
    // unchecked, so nothing is sent by tag. Audited "refused-off-ec2-in-tag" with how many, or why it could not be told.
    private static Reply RefuseOffEc2(TurnContext turn, TagGroup group, TagSelector tag, string description, OffEc2Nodes? offEc2)
    {
        var lang = turn.Lang;
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "refused-off-ec2-in-tag", error: offEc2?.FailedOperation);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, group.Addressed.Count, group.Digest);
        var what = PatchSpeech.What(lang, group.Running.Count, description);
        var tagged = offEc2?.TaggedWith(group.Tag) ?? 0;
        turn.Audit.ForAction("patch").Note("offEc2Tagged", tagged.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var speech = offEc2 switch
        {
            { FailedOperation: { } operation } => lang.Say("patch.large.offEc2.failed", ("what", what), ("operation", operation)),
            { TooMany: true } => lang.Say("patch.large.offEc2.tooMany", ("what", what), ("checked", OffEc2Nodes.MaxChecked)),
            null => lang.Say("patch.large.offEc2.unchecked", ("what", what)),
            _ => lang.Say(tagged == 1 ? "patch.large.offEc2.one" : "patch.large.offEc2.other", ("what", what), ("count", tagged)),
        };
        return Reply.Tell(speech).Labelled("refused-off-ec2-in-tag");
    }

    /// <summary>"N of them are stopped", or nothing.</summary>
    public static Spoken? NotRunningSpeech(Lang lang, int notRunning) => notRunning == 0 ? null
        : lang.Say(notRunning == 1 ? "patch.large.stopped.one" : "patch.large.stopped.other",
            ("what", lang.Count(notRunning, "instance")));
}
