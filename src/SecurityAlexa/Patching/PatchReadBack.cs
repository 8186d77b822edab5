using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The one read-back and confirmation of a patch: by instance (names, skipped ones, reboot, baselines) or for a whole
/// large tag group (count, stopped ones, baselines by patch group, a sample of agents). It stores the pending action.
/// </summary>
internal sealed class PatchReadBack(ITargetResolver targets, IPatchManager patches, PatchSettings settings,
    PatchIsolationCheck isolation)
{
    /// <summary>The read-back for the eligible instances; the patch groups may already be on their way.</summary>
    public async Task<Reply> ForInstancesAsync(TurnContext turn, PatchAssessment assessment, TagSelector? wholeTag, string description,
        Spoken? prefix, Task<IReadOnlyList<PatchGroupBaseline>>? groups = null)
    {
        var lang = turn.Lang;
        var eligible = assessment.Eligible;
        var baselines = await PatchBaselines.PlanAsync(patches, eligible, turn.Cancellation, groups, turn).ConfigureAwait(false);
        var names = eligible.Select(t => t.Name).ToList();
        var what = PatchSpeech.What(lang, eligible.Count);
        var overCap = eligible.Count > settings.MaxInstances;
        var readBack = Spoken.Join(
            prefix,
            PatchSpeech.Skipped(lang, assessment.Skipped),
            PatchSpeech.ForeignMarked(lang, assessment.ForeignMarked),
            lang.Say(eligible.Count == 1 ? "patch.confirm.one" : "patch.confirm.other", ("what", what),
                ("names", PatchSpeech.Names(lang, names)), ("reboot", PatchSpeech.Reboot(lang, settings))),
            baselines.Count > 1 ? PatchSpeech.Baselines(lang, baselines) : null,
            overCap ? lang.Say("patch.confirm.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null);

        var pending = PatchPending.ForInstances(eligible, wholeTag, description, overCap);
        PatchConversationMemory.SetChoice(turn, null);
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, lang.Say("patch.confirm.reprompt", ("what", what)),
            lang.Say("patch.confirm.question"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.ReadBackCard(lang, eligible, assessment.Skipped, baselines)),
                eligible.Select(t => new ScreenRow(t.Id, t.Name)));
    }

    /// <summary>The read-back for a whole large tag group: the count, what will be skipped and why, the baselines by patch group.</summary>
    public Reply ForTag(TurnContext turn, TagSelector tag, int count, TagGroupSummary summary, string description, Spoken? prefix)
    {
        var lang = turn.Lang;
        var what = PatchSpeech.What(lang, count, description);
        var overCap = count > settings.MaxInstances;
        var readBack = Spoken.Join(
            prefix,
            lang.Say("patch.large.confirm", ("what", what), ("reboot", PatchSpeech.Reboot(lang, settings))),
            PatchRefusals.NotRunningSpeech(lang, summary.NotRunning),
            PatchSpeech.ForeignMarked(lang, summary),
            PatchSpeech.LargeBaselines(lang, summary),
            lang.Say("patch.large.agents", ("online", summary.SampledOnline), ("sampled", summary.Sampled)),
            overCap ? lang.Say("patch.confirm.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null);
        var pending = PatchPending.ForTag(tag, count, summary.Digest, description, overCap);
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.TagSet(turn, tag.Key, tag.Value, count, summary.Digest);
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, lang.Say("patch.confirm.reprompt", ("what", what)),
            lang.Say("patch.confirm.question"))
            .WithCard(lang.Text("patch.card.title"), PatchCards.LargeCard(lang, tag, count, [], summary)), []);
    }

    /// <summary>
    /// A tag-wide read-back that can no longer be trusted (expired, or the group changed): read the group again and ask again.
    /// </summary>
    public async Task<Reply> ForTagAgainAsync(TurnContext turn, PendingAction pending, Spoken prefix)
    {
        var tag = PatchPending.Tag(pending)!;
        var description = PatchPending.Description(pending);
        var group = await TagGroup.ReadAsync(targets, patches, isolation, tag, withLookups: true, turn.Cancellation)
            .ConfigureAwait(false);
        if (PatchRefusals.StopLarge(turn, group, tag, description) is { } stop) return stop;
        return ForTag(turn, tag, group!.Running.Count, group.Summarise(), description, prefix);
    }
}
