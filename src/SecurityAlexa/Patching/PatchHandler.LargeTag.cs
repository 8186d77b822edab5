using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

// A whole tag group above PatchSettings.CheckEachMax: carried by tag, count and digest, checked with bounded look-ups, and
// sent as one tag-targeted command only if the tag still addresses exactly what was read back.
internal sealed partial class PatchHandler
{
    private static bool IsTagWide(PendingAction pending) =>
        pending.InstanceIds.Count == 0 && pending.Digest is not null && pending.Count is not null
        && pending.Args.GetValueOrDefault(ModeArg) == TagMode && pending.Args.ContainsKey(TagKeyArg)
            && pending.Args.ContainsKey(TagValueArg);

    // Turn 1 for a large tag group: resolve (EC2 pages), one page of agents and the patch groups, then "which ones?".
    private async Task<Reply> StartLargeAsync(TurnContext turn, TagSelector tag, string description,
        IReadOnlyList<InstanceInfo>? addressed)
    {
        var lang = turn.Lang;
        var group = await TagGroup.ReadAsync(targets, patches, _isolation, tag, withLookups: true, turn.Cancellation, addressed).ConfigureAwait(false);
        if (StopLarge(turn, group, tag, description) is { } stop) return stop;
        var running = group!.Running;
        var summary = group.Summarise();
        var names = running.Select(i => i.DisplayName).ToList();
        PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, summary.Digest);
        PatchConversationMemory.SetChoice(turn, new PatchChoice
        {
            Offered = TargetMemory.Of(description, running.Select(i => i.Id).ToList(), names, tag.Key, tag.Value),
            Large = summary,
            HeardTagKey = turn.Slot(PatchCandidateFinder.TagKeySlot).Value,
            HeardTagValue = turn.Slot(PatchCandidateFinder.TagValueSlot).Value,
        });
        var question = Spoken.Join(
            lang.Say("patch.choose.intro", ("what", PatchSpeech.What(lang, running.Count, description)),
                ("names", PatchSpeech.Names(lang, names))),
            NotRunningSpeech(lang, summary.NotRunning),
            PatchSpeech.ForeignMarked(lang, summary),
            lang.Say("patch.choose.question"));
        var reprompt = lang.Say("patch.choose.reprompt", ("first", names[0]), ("last", names[^1]));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot);
        return Reply.ElicitSlot(question, reprompt, PatchSelection.SelectionSlot, intent)
            .WithCard(lang.Text("patch.card.title"), PatchCards.LargeCard(lang, tag, running.Count, names, summary))
            .Labelled("which-ones");
    }

    // What stops a large tag patch before anything is offered: the tag gone, isolated instances in it, nothing running or managed.
    private static Reply? StopLarge(TurnContext turn, TagGroup? group, TagSelector tag, string description)
    {
        var lang = turn.Lang;
        if (group is null)
        {
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "tag-gone");
            return Reply.Tell(lang.Say("patch.large.gone", ("desc", description))).Labelled("nothing-eligible");
        }
        var isolated = group.Isolated;
        if (isolated.Count > 0)
        {
            // A tag-targeted command would reach them; the only safe answer is to send nothing.
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "refused-isolated-in-tag", skipped: isolated.Select(i => i.Id).Take(InstanceSet.MaxIds));
            PatchAudit.TagSet(turn, tag.Key, tag.Value, group.Addressed.Count, group.Digest);
            return Reply.Tell(lang.Say(isolated.Count == 1 ? "patch.large.isolated.one" : "patch.large.isolated.other",
                    ("count", lang.Count(isolated.Count, "instance")),
                        ("what", PatchSpeech.What(lang, group.Addressed.Count, description)),
                    ("names", PatchSpeech.Names(lang, isolated.Select(i => i.DisplayName)))))
                .Labelled("refused-isolated-in-tag");
        }
        var protectedOnes = group.Protected;
        if (protectedOnes.Count > 0)
        {
            // Same as isolated: a tag-targeted command would reach them, and the skill never changes them.
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "refused-protected-in-tag", skipped: protectedOnes.Select(i => i.Id).Take(InstanceSet.MaxIds));
            PatchAudit.TagSet(turn, tag.Key, tag.Value, group.Addressed.Count, group.Digest);
            return Reply.Tell(lang.Say(protectedOnes.Count == 1 ? "patch.large.protected.one" : "patch.large.protected.other",
                    ("count", lang.Count(protectedOnes.Count, "instance")),
                    ("what", PatchSpeech.What(lang, group.Addressed.Count, description)),
                    ("names", PatchSpeech.Names(lang, protectedOnes.Select(i => i.DisplayName)))))
                .Labelled("refused-protected-in-tag");
        }
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

    // Turn 2 on a large group: "all of them" is read back from the session; a name or "all except" re-resolves the tag.
    private async Task<Reply> ChooseLargeAsync(TurnContext turn, PatchChoice choice, SelectionAnswer answer)
    {
        var lang = turn.Lang;
        var offered = choice.Offered;
        if (offered.TagKey is not { } key || offered.TagValue is not { } value)
        {
            PatchConversationMemory.SetChoice(turn, null);
            return Reply.Ask(lang.Say("patch.needTargets"), lang.Say("patch.needTargets.reprompt")).Labelled("need-targets");
        }
        var tag = new TagSelector(key, value);
        if (answer is SelectionAnswer.All && choice.Large is { } summary)
            return ReadBackLarge(turn, tag, offered.Size, summary, offered.Description, prefix: null);

        var resolved = await TagGroup.ResolveAsync(targets, tag, turn.Cancellation).ConfigureAwait(false);
        if (resolved is null) return StopLarge(turn, null, tag, offered.Description)!;
        var running = resolved.Value.Instances.Where(i => i.State == "running").ToList();
        var heard = answer switch { SelectionAnswer.Only o => o.Heard, SelectionAnswer.Except e => e.Heard, _ => "" };
        if (answer is SelectionAnswer.All)
        {
            // A choice without its summary (should not happen): read the group again rather than guess.
            var group = await (await new TagGroup(resolved.Value.Tag, resolved.Value.Instances, [], [])
                .WithLookupsAsync(patches, turn.Cancellation).ConfigureAwait(false)).WithMarksAsync(_isolation, turn.Cancellation)
                .ConfigureAwait(false);
            if (StopLarge(turn, group, tag, offered.Description) is { } stop) return stop;
            return ReadBackLarge(turn, tag, group.Running.Count, group.Summarise(), offered.Description, prefix: null);
        }

        var (matched, missed) = PatchSelection.Match(heard, running.Select(i => i.Id).ToList(),
            running.Select(i => i.DisplayName).ToList());
        if (missed is not null) return NotOffered(turn, missed, offered);
        var chosen = answer is SelectionAnswer.Only
            ? running.Where(i => matched.Contains(i.Id, StringComparer.Ordinal)).ToList()
            : running.Where(i => !matched.Contains(i.Id, StringComparer.Ordinal)).ToList();
        if (chosen.Count == 0)
        {
            PatchConversationMemory.SetChoice(turn, null);
            PatchAudit.Write(turn, "patch", "nothing-chosen", skipped: matched);
            return Reply.Ask(lang.Say("patch.choose.nothingLeft"), lang.Say("reprompt.generic")).Labelled("nothing-chosen");
        }
        // Not the whole tag, so the ids go by id: more than a few commands' worth is refused, never widened to the tag.
        if (chosen.Count > PatchSettings.MaxById) return TooManyById(turn, chosen.Count, offered.Description, tag);

        var ids = chosen.Select(i => i.Id).ToList();
        var agents = patches.DescribeManagedNodesAsync(ids, turn.Cancellation);
        var groups = patches.ListPatchGroupBaselinesAsync(turn.Cancellation);
        var marking = _isolation.ReadAsync(chosen, turn.Cancellation);
        await Observed.WhenAllAsync(agents, marking).ConfigureAwait(false);
        var assessment = PatchEligibility.Assess(chosen, await agents.ConfigureAwait(false), await marking.ConfigureAwait(false));
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return NothingEligible(turn, assessment);
        }
        return await ReadBackAsync(turn, assessment, wholeTag: null, offered.Description, prefix: null, groups).ConfigureAwait(false);
    }

    // The read-back for a whole large tag group: the count, what will be skipped and why, the baselines by patch group.
    private Reply ReadBackLarge(TurnContext turn, TagSelector tag, int count, TagGroupSummary summary, string description, Spoken? prefix)
    {
        var lang = turn.Lang;
        var what = PatchSpeech.What(lang, count, description);
        var overCap = count > settings.MaxInstances;
        var readBack = Spoken.Join(
            prefix,
            lang.Say("patch.large.confirm", ("what", what), ("reboot", PatchSpeech.Reboot(lang, settings))),
            NotRunningSpeech(lang, summary.NotRunning),
            PatchSpeech.ForeignMarked(lang, summary),
            PatchSpeech.LargeBaselines(lang, summary),
            lang.Say("patch.large.agents", ("online", summary.SampledOnline), ("sampled", summary.Sampled)),
            overCap ? lang.Say("patch.confirm.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null);
        var pending = new PendingAction
        {
            Kind = Kind,
            Intent = "PatchIntent",
            InstanceIds = [],
            Count = count,
            Digest = summary.Digest,
            Args = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [DescriptionArg] = description,
                [TagKeyArg] = tag.Key,
                [TagValueArg] = tag.Value,
                [ModeArg] = TagMode,
            },
            CountToSayBack = overCap ? count : null,
        };
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, count, summary.Digest);
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, lang.Say("patch.confirm.reprompt", ("what", what)),
            lang.Say("patch.confirm.question"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.LargeCard(lang, tag, count, [], summary)), []);
    }

    // A read-back that can no longer be trusted (expired, or the group changed): read the group again and ask again.
    private async Task<Reply> ReadBackLargeAgainAsync(TurnContext turn, PendingAction pending, Spoken prefix)
    {
        var tag = new TagSelector(pending.Args[TagKeyArg], pending.Args[TagValueArg]);
        var description = pending.Args.GetValueOrDefault(DescriptionArg) ?? "";
        var group = await TagGroup.ReadAsync(targets, patches, _isolation, tag, withLookups: true, turn.Cancellation).ConfigureAwait(false);
        if (StopLarge(turn, group, tag, description) is { } stop) return stop;
        return ReadBackLarge(turn, tag, group!.Running.Count, group.Summarise(), description, prefix);
    }

    // The yes for a large tag group: re-resolve the tag and send one tag-targeted command only if it addresses exactly what was read back.
    private async Task<Reply> ExecuteLargeAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        var tag = new TagSelector(pending.Args[TagKeyArg], pending.Args[TagValueArg]);
        var description = pending.Args.GetValueOrDefault(DescriptionArg) ?? "";
        var resolved = await TagGroup.ResolveAsync(targets, tag, turn.Cancellation).ConfigureAwait(false);
        Confirmation.Clear(turn);
        var now = resolved is { } r
            ? await new TagGroup(r.Tag, r.Instances, [], []).WithMarksAsync(_isolation, turn.Cancellation).ConfigureAwait(false) : null;
        if (now is null || now.Isolated.Count > 0 || now.Protected.Count > 0) return StopLarge(turn, now, tag, description)!;

        if (now.Digest != pending.Digest)
        {
            // Instances joined or left the tag, or one started or stopped: what was read back is not what would be sent.
            PatchAudit.Write(turn, "patch", "changed-before-send");
            PatchAudit.TagSet(turn, tag.Key, tag.Value, pending.Size, pending.Digest);
            var group = await now.WithLookupsAsync(patches, turn.Cancellation).ConfigureAwait(false);
            if (StopLarge(turn, group, tag, description) is { } stop) return stop;
            var changed = lang.Say("patch.large.changed", ("desc", description), ("before", lang.Count(pending.Size, "instance")),
                ("now", lang.Count(group.Running.Count, "instance")));
            return ReadBackLarge(turn, tag, group.Running.Count, group.Summarise(), description, changed);
        }
        if (!TurnBudget.CanStartAChange(turn)) return NotSentSlow(turn, pending);

        var reference = PatchComment.ReferenceFor(turn.RequestId);
        var target = new PatchCommandTarget { TagKey = now.Tag.Key, TagValues = now.Tag.Values };
        var comment = PatchComment.For(reference, 1, 1);
        var request = new PatchCommandRequest(target, "Install", settings.RebootOption, settings.MaxConcurrency, settings.MaxErrors,
            comment);
        var running = now.Running;
        // An earlier tag-wide send of this conversation whose outcome is unknown is resolved first: never patch twice.
        var marker = TagMarker(tag);
        if (await PatchSendOutcome.BeforeSendingAsync(turn, patches, [marker]).ConfigureAwait(false) is { } earlier) return earlier;
        string commandId;
        try
        {
            commandId = await patches.SendPatchCommandAsync(request, turn.Cancellation).ConfigureAwait(false);
        }
        catch (AwsCallException e) when (PatchSendOutcome.MayHaveBeenSent(e))
        {
            // SSM may have accepted it: look it up by its comment, and never send it again.
            var lookup = await PatchSendOutcome.LookUpAsync(turn, patches, comment, turn.Now, []).ConfigureAwait(false);
            if (lookup.Command is not { } found) return UnknownLarge(turn, e, tag, now, description, reference, comment);
            commandId = found.CommandId;
        }
        catch (AwsCallException e)
        {
            PatchAudit.Write(turn, "patch", "failed", reference: reference,
                error: e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString()));
            PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, now.Digest);
            if (e.Failure == AwsFailure.InvalidRequest) return Reply.Tell(lang.Say("patch.send.invalid")).Labelled("patch-invalid-target");
            throw;
        }

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

    // Stands for a whole tag group in a run whose command's outcome is unknown (PatchRun.UnknownIds), so a retry is held back.
    private static string TagMarker(TagSelector tag) => "tag:" + tag.Key + "=" + tag.Value;

    // The tag-wide command may or may not have been accepted, and the look-up did not find it: remember it by its comment
    // (and the tag, not the ids), say so, and never send it again.
    private static Reply UnknownLarge(TurnContext turn, AwsCallException e, TagSelector tag, TagGroup group, string description,
        string reference, string comment)
    {
        var lang = turn.Lang;
        var running = group.Running;
        var what = PatchSpeech.What(lang, running.Count, description);
        var error = e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString());
        turn.State.Patch = (turn.State.Patch ?? new PatchMemory()) with
        {
            Choosing = null,
            LastRun = new PatchRun
            {
                Reference = reference,
                CommandIds = [],
                SentAt = turn.Now,
                // One entry for the whole group: the marker, named as the group.
                Targets = new TargetMemory { Description = description, InstanceIds = [TagMarker(tag)], Names = [what], TagKey = tag.Key,
                    TagValue = tag.Value },
                UnknownComment = comment,
                UnknownIds = [TagMarker(tag)],
            },
        };
        PatchAudit.Write(turn, "patch", "outcome-unknown", reference: reference, error: error);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, group.Digest);
        turn.Log.Warn("patch.outcome-unknown", ("requestId", turn.RequestId), ("ref", reference), ("comment", comment), ("error", error));
        var speech = Spoken.Join(
            lang.Say(e.Failure == AwsFailure.Timeout ? "patch.send.unknown.timeout" : "patch.send.unknown.error",
                ("what", what), ("names", PatchSpeech.Names(lang, running.Select(i => i.DisplayName)))),
            lang.Say("patch.send.unknown.advice"));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n",
                lang.Text("patch.card.reference", ("ref", reference)),
                lang.Text("patch.card.tag", ("tag", tag.Key + "=" + tag.Value), ("count", running.Count))))
            .Labelled("patch-outcome-unknown");
    }

    // Above what goes by id in a few commands, and not the whole tag: refuse rather than trim or widen.
    private static Reply TooManyById(TurnContext turn, int count, string description, TagSelector? tag)
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

    // Not enough of the turn left to send and hear back: send nothing, and ask the same question again.
    private Reply NotSentSlow(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        turn.Log.Warn("patch.send.deferred", ("requestId", turn.RequestId), ("left", TurnBudget.Left(turn)));
        PatchAudit.Write(turn, "patch", "deferred-slow", pending.InstanceIds);
        var what = PatchSpeech.What(lang, pending.Size);
        return ReadBackScreen.Show(turn, Confirmation.Ask(turn, pending with { }, lang.Say("patch.slow.notSent", ("what", what)),
            lang.Say("patch.confirm.reprompt", ("what", what)), lang.Say("patch.confirm.question")), []);
    }

    private static Spoken? NotRunningSpeech(Lang lang, int notRunning) => notRunning == 0 ? null
        : lang.Say(notRunning == 1 ? "patch.large.stopped.one" : "patch.large.stopped.other",
            ("what", lang.Count(notRunning, "instance")));
}
