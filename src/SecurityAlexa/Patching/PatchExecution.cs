using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The yes to a patch read-back: re-check what could have changed, plan the commands, send them at most once
/// (<see cref="PatchSender"/>), and answer with what went, what did not, and what is unknown.
/// </summary>
internal sealed class PatchExecution(ITargetResolver targets, IPatchManager patches, PatchReferences references, PatchRecheck recheck,
    PatchReadBack readBack, PatchIsolationCheck isolation, PatchSender sender, PatchOutcomeReplies replies)
{
    /// <summary>Carries out exactly the confirmed pending action.</summary>
    public Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending) =>
        PatchPending.IsTagWide(pending) ? ExecuteTagAsync(turn, pending) : ExecuteByIdAsync(turn, pending);

    private async Task<Reply> ExecuteByIdAsync(TurnContext turn, PendingAction pending)
    {
        // A pending action with neither ids nor a tag to re-resolve is never "nothing" or "everything": it is refused.
        if (pending.InstanceIds.Count == 0)
        {
            Confirmation.Clear(turn);
            PatchAudit.Write(turn, "patch", "refused-no-targets");
            return Reply.Ask(turn.Lang.Say("patch.confirm.invalid"), turn.Lang.Say("patch.needTargets.reprompt"))
                .Labelled("confirm-invalid");
        }
        // The first command's reference is claimed alongside the re-check, so the claim costs no round trip of its own.
        var reference = PatchPending.Reference(turn, pending);
        var claim = references.ClaimAsync(turn, reference, 1);
        ConfirmedTargets now;
        try
        {
            now = await recheck.BeforeSendAsync(turn, pending).ConfigureAwait(false);
        }
        catch
        {
            await references.ReleaseAsync(turn, reference, claim).ConfigureAwait(false);
            throw;
        }
        // The isolation records could not be read: nothing is sent, and the read-back stands, so the yes can be said again.
        if (now.RecordsUnread is { } unread)
            return await UnclaimedAsync(turn, reference, claim, PatchRefusals.NotSentRecordsUnread(turn, pending, unread))
                .ConfigureAwait(false);
        Confirmation.Clear(turn);
        var assessment = now.Assessment;
        if (assessment.Eligible.Count == 0)
            return await UnclaimedAsync(turn, reference, claim, PatchRefusals.NothingEligible(turn, assessment, now.GoneSpeech))
                .ConfigureAwait(false);
        if (!TurnBudget.CanStartAChange(turn))
            return await UnclaimedAsync(turn, reference, claim, PatchRefusals.NotSentSlow(turn, pending)).ConfigureAwait(false);

        var eligible = assessment.Eligible;
        var commands = PatchCommandPlan.PlanCommands(eligible);
        var skippedIds = assessment.Skipped.Select(s => s.Instance.Id).ToList();
        // An earlier send of this conversation whose outcome is unknown is resolved first, so a retry cannot patch twice.
        if (await PatchSendOutcome.BeforeSendingAsync(turn, patches, references, eligible.Select(t => t.Instance).ToList(), null)
            .ConfigureAwait(false) is { } earlier) return await UnclaimedAsync(turn, reference, claim, earlier).ConfigureAwait(false);

        var result = await sender.SendAsync(turn, reference, commands, claim).ConfigureAwait(false);
        var recorded = Recorded(turn, reference, result);
        try
        {
            if (result.NotRecorded is { } notRecorded && result.Sent.Count == 0)
                return PatchRefusals.NotRecorded(turn, reference, Error(notRecorded));
            if (result.Unknown is { } unknown)
                return await PatchSendOutcome.UnknownAsync(turn, result.UnknownSpeechKey, result.UnknownError, replies.Chat,
                    new PatchRunParts(reference, eligible, result.Sent, unknown, result.UnknownComment, skippedIds)).ConfigureAwait(false);
            if ((result.Refused ?? result.NotRecorded) is { } failure)
                return await replies.PartlySentAsync(turn, failure, eligible, result.Sent, reference, skippedIds).ConfigureAwait(false);
            if (result.Late)
                return await replies.PartlySentAsync(turn, null, eligible, result.Sent, reference, skippedIds).ConfigureAwait(false);
            return await replies.StartedAsync(turn, eligible, assessment.Skipped, now.GoneSpeech, result.Sent, reference, skippedIds)
                .ConfigureAwait(false);
        }
        finally
        {
            await WithinTurnAsync(turn, recorded).ConfigureAwait(false);
        }
    }

    // The yes for a large tag group: re-resolve the tag and send one tag-targeted command only if it addresses exactly what
    // was read back. The reference is claimed alongside the re-resolution.
    private async Task<Reply> ExecuteTagAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        var tag = PatchPending.Tag(pending)!;
        var description = PatchPending.Description(pending);
        var reference = PatchPending.Reference(turn, pending);
        var claim = references.ClaimAsync(turn, reference, 1);
        (Reply? Stop, TagGroup? Group) checkedTag;
        try
        {
            checkedTag = await CheckTagAsync(turn, pending, tag, description).ConfigureAwait(false);
        }
        catch
        {
            await references.ReleaseAsync(turn, reference, claim).ConfigureAwait(false);
            throw;
        }
        if (checkedTag.Stop is { } stop) return await UnclaimedAsync(turn, reference, claim, stop).ConfigureAwait(false);
        var now = checkedTag.Group!;
        var target = new PatchCommandTarget { TagKey = now.Tag.Key, TagValues = now.Tag.Values };

        var result = await sender.SendAsync(turn, reference, [target], claim).ConfigureAwait(false);
        var recorded = Recorded(turn, reference, result);
        try
        {
            if (result.NotRecorded is { } notRecorded)
            {
                PatchAudit.TagSet(turn, tag.Key, tag.Value, now.Running.Count, now.Digest);
                return PatchRefusals.NotRecorded(turn, reference, Error(notRecorded));
            }
            if (result.Unknown is not null)
                return PatchOutcomeReplies.UnknownTag(turn, result.UnknownSpeechKey, result.UnknownError, tag, now, description, reference,
                    result.UnknownComment);
            if (result.Refused is { } e)
            {
                PatchAudit.Write(turn, "patch", "failed", reference: reference, error: Error(e));
                PatchAudit.TagSet(turn, tag.Key, tag.Value, now.Running.Count, now.Digest);
                if (e.Failure == AwsContract.AwsFailure.InvalidRequest)
                    return Reply.Tell(lang.Say("patch.send.invalid")).Labelled("patch-invalid-target");
                throw e;
            }
            return await replies.StartedTagAsync(turn, tag, now, description, result.CommandIds[0], reference).ConfigureAwait(false);
        }
        finally
        {
            await WithinTurnAsync(turn, recorded).ConfigureAwait(false);
        }
    }

    // What stops a tag-wide send after the yes (the tag gone or too large to read, isolated or protected instances, managed
    // nodes outside EC2 carrying the tag, the group changed, too slow, an earlier unknown send); otherwise the group as it is now.
    private async Task<(Reply? Stop, TagGroup? Group)> CheckTagAsync(TurnContext turn, PendingAction pending, TagSelector tag,
        string description)
    {
        var lang = turn.Lang;
        // What the tag covers in EC2 and which managed nodes outside EC2 carry it, read at once.
        var resolving = TagGroup.ResolveAsync(targets, tag, turn.Cancellation);
        var offEc2 = OffEc2Nodes.ReadAsync(patches, turn.Cancellation);
        await Observed.WhenAllAsync(resolving, offEc2).ConfigureAwait(false);
        var resolved = await resolving.ConfigureAwait(false);
        TagGroup? now;
        try
        {
            now = resolved is { TooManyToRead: false }
                ? await (resolved with { OffEc2 = await offEc2.ConfigureAwait(false) }).WithMarksAsync(isolation, turn.Cancellation)
                    .ConfigureAwait(false)
                : resolved;
        }
        catch (AwsContract.AwsCallException e)
        {
            // The isolation records could not be read: nothing is sent, and the read-back stands, so the yes can be said again.
            return (PatchRefusals.NotSentRecordsUnread(turn, pending, e), null);
        }
        Confirmation.Clear(turn);
        if (now is null || now.TooManyToRead || now.Isolated.Count > 0 || now.Protected.Count > 0 || now.OffEc2?.Clears(now.Tag) != true)
            return (PatchRefusals.StopLarge(turn, now, tag, description)!, null);

        if (now.Digest != pending.Digest)
        {
            // Instances joined or left the tag, or one started or stopped: what was read back is not what would be sent.
            PatchAudit.Write(turn, "patch", "changed-before-send");
            PatchAudit.TagSet(turn, tag.Key, tag.Value, pending.Size, pending.Digest);
            var group = await now.WithLookupsAsync(patches, turn.Cancellation).ConfigureAwait(false);
            if (PatchRefusals.StopLarge(turn, group, tag, description) is { } stop) return (stop, null);
            var changed = lang.Say("patch.large.changed", ("desc", description), ("before", lang.Count(pending.Size, "instance")),
                ("now", lang.Count(group.Running.Count, "instance")));
            return (readBack.ForTag(turn, tag, group.Running.Count, group.Summarise(), description, changed), null);
        }
        if (!TurnBudget.CanStartAChange(turn)) return (PatchRefusals.NotSentSlow(turn, pending), null);
        // An earlier tag-wide send of this conversation whose outcome is unknown is resolved first: never patch twice.
        if (await PatchSendOutcome.BeforeSendingAsync(turn, patches, references, now.Addressed, tag)
            .ConfigureAwait(false) is { } earlier) return (earlier, null);
        return (null, now);
    }

    // Stopped before SendCommand: the reference claimed for it is given back, so that a retry of this yes may send.
    private async Task<Reply> UnclaimedAsync(TurnContext turn, string reference, Task<PatchClaim> claim, Reply reply)
    {
        await references.ReleaseAsync(turn, reference, claim).ConfigureAwait(false);
        return reply;
    }

    // The command ids and the latest run go to the state table alongside the chat post, not before it.
    private Task Recorded(TurnContext turn, string reference, PatchSendResult result) => result.Sent.Count == 0 ? result.Recorded
        : Task.WhenAll(result.Recorded, references.RememberLatestAsync(turn, reference, result.CommandIds));

    // The records of what was sent are waited for only while the turn can afford it: once SendCommand has answered, the
    // answer says what happened. A record still being written is the state table's, and a later turn finds the command by
    // its comment (PatchSendOutcome) if it never lands.
    private static async Task WithinTurnAsync(TurnContext turn, Task recorded)
    {
        if (!await TurnBudget.WithinTurnAsync(turn, Done(recorded), false, "patch.records").ConfigureAwait(false))
            turn.Log.Warn("patch.records-late", ("requestId", turn.RequestId));

        static async Task<bool> Done(Task task)
        {
            await task.ConfigureAwait(false);
            return true;
        }
    }

    private static string Error(AwsContract.AwsCallException e) => e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString());
}
