using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// "Which ones?" for a whole tag group above <see cref="PatchSettings.CheckEachMax"/>: carried by tag, count and digest,
/// checked with bounded look-ups; "all of them" is read back from the session, a name or "all except" re-resolves the tag.
/// </summary>
internal sealed class LargeTagChooser(ITargetResolver targets, IPatchManager patches, PatchReadBack readBack,
    PatchIsolationCheck isolation)
{
    /// <summary>Turn 1 for a large tag group: resolve (EC2 pages), one page of agents and the patch groups, then "which ones?".</summary>
    public async Task<Reply> StartAsync(TurnContext turn, TagSelector tag, string description, IReadOnlyList<InstanceInfo>? addressed)
    {
        var lang = turn.Lang;
        var group = await TagGroup.ReadAsync(targets, patches, isolation, tag, withLookups: true, turn.Cancellation, addressed)
            .ConfigureAwait(false);
        if (PatchRefusals.StopLarge(turn, group, tag, description) is { } stop) return stop;
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
            PatchRefusals.NotRunningSpeech(lang, summary.NotRunning),
            PatchSpeech.ForeignMarked(lang, summary),
            lang.Say("patch.choose.question"));
        var reprompt = lang.Say("patch.choose.reprompt", ("first", names[0]), ("last", names[^1]));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot);
        return Reply.ElicitSlot(question, reprompt, PatchSelection.SelectionSlot, intent)
            .WithCard(lang.Text("patch.card.title"), PatchCards.LargeCard(lang, tag, running.Count, names, summary))
            .Labelled("which-ones");
    }

    /// <summary>Turn 2 on a large group: the answer to "which ones?".</summary>
    public async Task<Reply> ChooseAsync(TurnContext turn, PatchChoice choice, SelectionAnswer answer)
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
            return readBack.ForTag(turn, tag, offered.Size, summary, offered.Description, prefix: null);

        var resolved = await TagGroup.ResolveAsync(targets, tag, turn.Cancellation).ConfigureAwait(false);
        if (resolved is null or { TooManyToRead: true }) return PatchRefusals.StopLarge(turn, resolved, tag, offered.Description)!;
        var running = resolved.Addressed.Where(i => i.State == "running").ToList();
        var heard = answer switch { SelectionAnswer.Only o => o.Heard, SelectionAnswer.Except e => e.Heard, _ => "" };
        if (answer is SelectionAnswer.All)
        {
            // A choice without its summary (should not happen): read the group again rather than guess.
            var group = await (await resolved.WithLookupsAsync(patches, turn.Cancellation).ConfigureAwait(false))
                .WithMarksAsync(isolation, turn.Cancellation).ConfigureAwait(false);
            if (PatchRefusals.StopLarge(turn, group, tag, offered.Description) is { } stop) return stop;
            return readBack.ForTag(turn, tag, group.Running.Count, group.Summarise(), offered.Description, prefix: null);
        }

        var (matched, missed) = PatchSelection.Match(heard, running.Select(i => i.Id).ToList(),
            running.Select(i => i.DisplayName).ToList());
        if (missed is not null) return PatchRefusals.NotOffered(turn, missed, offered);
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
        if (chosen.Count > PatchSettings.MaxById) return PatchRefusals.TooManyById(turn, chosen.Count, offered.Description, tag);

        var ids = chosen.Select(i => i.Id).ToList();
        var agents = patches.DescribeManagedNodesAsync(ids, turn.Cancellation);
        var groups = patches.ListPatchGroupBaselinesAsync(turn.Cancellation);
        var marking = isolation.ReadAsync(chosen, turn.Cancellation);
        await Observed.WhenAllAsync(agents, marking).ConfigureAwait(false);
        var assessment = PatchEligibility.Assess(chosen, await agents.ConfigureAwait(false), await marking.ConfigureAwait(false));
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return PatchRefusals.NothingEligible(turn, assessment);
        }
        return await readBack.ForInstancesAsync(turn, assessment, wholeTag: null, offered.Description, prefix: null, groups)
            .ConfigureAwait(false);
    }
}
