using SecurityAlexa.AwsContract;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Patching;

/// <summary>
/// What is said, posted, remembered and audited once commands have gone out: started, partly sent, or a tag-wide command
/// whose outcome is unknown. The chat post, the incident ticket and the card say the same as the speech.
/// </summary>
internal sealed class PatchOutcomeReplies(PatchSettings settings, IChatNotifier? chat, IncidentTickets? tickets)
{
    /// <summary>The team's chat channel, when there is one.</summary>
    public IChatNotifier? Chat => chat;

    /// <summary>
    /// Stands for a whole tag group in a run whose command's outcome is unknown (PatchRun.UnknownIds), so a retry is held back.
    /// </summary>
    public static string TagMarker(TagSelector tag) => "tag:" + tag.Key + "=" + tag.Value;

    /// <summary>Every command went out: what started, what was skipped or gone, the ticket and the chat post.</summary>
    public async Task<Reply> StartedAsync(TurnContext turn, IReadOnlyList<PatchTarget> eligible, IReadOnlyList<SkippedInstance> skipped,
        Spoken? goneSpeech, IReadOnlyList<(string CommandId, PatchCommandTarget Target)> sent, string reference, List<string> skippedIds)
    {
        var lang = turn.Lang;
        var commandIds = sent.Select(s => s.CommandId).ToList();
        var patchedIds = SentIds(eligible, sent).Distinct(StringComparer.Ordinal).ToList();
        PatchConversationMemory.Remember(turn, reference, commandIds, eligible, patchedIds);
        PatchAudit.Write(turn, "patch", "sent", patchedIds, skippedIds, commandIds, reference);

        var names = eligible.Where(t => patchedIds.Contains(t.Id)).Select(t => t.Name).ToList();
        var chatText = PatchSpeech.StartedChat(lang, ChatPost.Speaker(turn), eligible.Where(t => patchedIds.Contains(t.Id)).ToList(),
            commandIds, reference, skipped, settings, failure: null);
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, PatchTickets.Started(lang, turn.RequestId,
            commandIds, patchedIds, names, reference)).ConfigureAwait(false);
        var chatSpeech = await ChatPost.PostAsync(turn, chat, ticket.AppendTo(chatText, lang)).ConfigureAwait(false);
        var speech = Spoken.Join(
            lang.Say("patch.started", ("what", PatchSpeech.What(lang, names.Count)), ("names", PatchSpeech.Names(lang, names))),
            PatchSpeech.Skipped(lang, skipped),
            goneSpeech,
            ticket.Speech(lang),
            chatSpeech,
            lang.Say("patch.started.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"),
                ticket.AppendTo(PatchCards.StartedCard(lang, reference, commandIds, names, skipped), lang) ?? "")
            .Labelled("patch-sent");
    }

    /// <summary>
    /// A command failed for certain, or (<paramref name="e"/> null) the rest were not started because the turn was nearly over:
    /// nothing went (an invalid target is said; anything else is the pipeline's to say), or some batches went, and exactly which
    /// is said, so nobody believes nothing happened.
    /// </summary>
    public async Task<Reply> PartlySentAsync(TurnContext turn, AwsCallException? e, IReadOnlyList<PatchTarget> eligible,
        IReadOnlyList<(string CommandId, PatchCommandTarget Target)> sent, string reference, List<string> skippedIds)
    {
        var lang = turn.Lang;
        var commandIds = sent.Select(s => s.CommandId).ToList();
        var sentIds = SentIds(eligible, sent).ToList();
        // No failure: the rest were not started because the turn was nearly over (PatchSendResult.Late).
        var error = e is null ? "not started: the turn was nearly over" : e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString());
        PatchAudit.Write(turn, "patch", sent.Count == 0 ? "failed" : "partly-sent", sentIds, skippedIds, commandIds, reference,
            error: error);
        if (sent.Count == 0 && e is not null)
        {
            if (e.Failure == AwsFailure.InvalidRequest) return Reply.Tell(lang.Say("patch.send.invalid")).Labelled("patch-invalid-target");
            throw e;
        }
        PatchConversationMemory.Remember(turn, reference, commandIds, eligible, sentIds);
        var names = eligible.Where(t => sentIds.Contains(t.Id)).Select(t => t.Name).ToList();
        var rest = eligible.Count - names.Count;
        var chatText = PatchSpeech.StartedChat(lang, ChatPost.Speaker(turn), eligible.Where(t => sentIds.Contains(t.Id)).ToList(),
            commandIds, reference, [], settings, failure: (rest, error));
        var chatSpeech = await ChatPost.PostAsync(turn, chat, chatText).ConfigureAwait(false);
        var speech = Spoken.Join(
            lang.Say(e is null ? "patch.send.late" : "patch.send.partial", ("what", PatchSpeech.What(lang, names.Count)),
                ("names", PatchSpeech.Names(lang, names)), ("rest", rest)),
            e is null ? null : ErrorSpeech.ForAws(lang, e),
            chatSpeech,
            lang.Say("patch.started.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.StartedCard(lang, reference, commandIds, names, []))
            .Labelled("patch-partly-sent");
    }

    /// <summary>The tag-wide command went out: remembered by tag, audited, posted, ticketed and said.</summary>
    public async Task<Reply> StartedTagAsync(TurnContext turn, TagSelector tag, TagGroup now, string description, string commandId,
        string reference)
    {
        var lang = turn.Lang;
        var running = now.Running;
        var names = running.Select(i => i.DisplayName).ToList();
        turn.State.Patch = (turn.State.Patch ?? new PatchMemory()) with
        {
            Choosing = null,
            LastRun = new PatchRun
            {
                Reference = reference,
                CommandIds = [commandId],
                SentAt = turn.Now,
                Targets = TargetMemory.Of(description, running.Select(i => i.Id).ToList(), names, tag.Key, tag.Value),
            },
        };
        PatchAudit.Write(turn, "patch", "sent", commandIds: [commandId], reference: reference);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, now.Digest);

        var what = PatchSpeech.What(lang, running.Count, description);
        var chatText = lang.Text("patch.chat.startedTag", ("how", lang.Text("patch.chat.byVoice", ("who", ChatPost.Speaker(turn)))),
            ("count", lang.Count(running.Count, "instance")), ("tag", tag.Key + "=" + string.Join("|", now.Tag.Values)),
                ("document", PatchSettings.Document),
            ("reboot", settings.RebootOption), ("commands", commandId), ("ref", reference));
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, PatchTickets.Started(lang, turn.RequestId, [commandId],
            running.Select(i => i.Id).ToList(), names, reference)).ConfigureAwait(false);
        var chatSpeech = await ChatPost.PostAsync(turn, chat, ticket.AppendTo(chatText, lang)).ConfigureAwait(false);
        var speech = Spoken.Join(lang.Say("patch.large.started", ("what", what)), ticket.Speech(lang), chatSpeech,
            lang.Say("patch.started.advice"));
        var card = string.Join("\n",
            lang.Text("patch.card.commands", ("ids", commandId)),
            lang.Text("patch.card.reference", ("ref", reference)),
            PatchCards.LargeCard(lang, tag, running.Count, names, null));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), ticket.AppendTo(card, lang) ?? card)
            .Labelled("patch-sent");
    }

    /// <summary>
    /// The tag-wide command may or may not have been accepted, and the look-up did not find it: remember it by its comment
    /// (and the tag, not the ids), say so, and never send it again.
    /// </summary>
    public static Reply UnknownTag(TurnContext turn, string speechKey, string error, TagSelector tag, TagGroup group, string description,
        string reference, string comment)
    {
        var lang = turn.Lang;
        var running = group.Running;
        var what = PatchSpeech.What(lang, running.Count, description);
        PatchSendOutcome.StoreUnknown(turn, new PatchRun
        {
            Reference = reference,
            CommandIds = [],
            SentAt = turn.Now,
            // One entry for the whole group: the marker, named as the group.
            Targets = new TargetMemory { Description = description, InstanceIds = [TagMarker(tag)], Names = [what], TagKey = tag.Key,
                TagValue = tag.Value },
            UnknownComment = comment,
            UnknownIds = [TagMarker(tag)],
            // What the command was sent to: an instance carrying one of these values may have been reached.
            UnknownTagKey = group.Tag.Key,
            UnknownTagValues = [.. group.Tag.Values],
        });
        PatchAudit.Write(turn, "patch", "outcome-unknown", reference: reference, error: error);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, group.Digest);
        turn.Log.Warn("patch.outcome-unknown", ("requestId", turn.RequestId), ("ref", reference), ("comment", comment), ("error", error));
        var speech = Spoken.Join(
            lang.Say(speechKey, ("what", what), ("names", PatchSpeech.Names(lang, running.Select(i => i.DisplayName)))),
            lang.Say("patch.send.unknown.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n",
                lang.Text("patch.card.reference", ("ref", reference)),
                lang.Text("patch.card.tag", ("tag", tag.Key + "=" + tag.Value), ("count", running.Count))))
            .Labelled("patch-outcome-unknown");
    }

    private static IEnumerable<string> SentIds(IReadOnlyList<PatchTarget> eligible,
        IEnumerable<(string CommandId, PatchCommandTarget Target)> sent) =>
        sent.SelectMany(s => s.Target.IsTag ? eligible.Select(t => t.Id) : s.Target.InstanceIds);
}
