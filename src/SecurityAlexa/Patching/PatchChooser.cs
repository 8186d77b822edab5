using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The patch dialogue before the read-back: resolve and check eligibility, ask "which ones?" (or go straight to the
/// read-back for one instance), and understand the answer. A whole tag group too large to check one by one is handed to
/// <see cref="LargeTagChooser"/>.
/// </summary>
internal sealed class PatchChooser(ITargetResolver targets, IPatchManager patches, PatchSettings settings,
    PatchCandidateFinder finder, PatchReadBack readBack, PatchRecheck recheck, LargeTagChooser large, PatchIsolationCheck isolation)
{
    /// <summary>Step 1: resolve, check eligibility, then ask "which ones?".</summary>
    public async Task<Reply> StartAsync(TurnContext turn)
    {
        PatchConversationMemory.SetChoice(turn, null);
        var found = await finder.FindAsync(turn).ConfigureAwait(false);
        if (PatchSpeech.ForNoCandidates(turn, found) is { } stop)
        {
            if (found is CandidateResult.NoneVulnerable) PatchAudit.Write(turn, "patch", "nothing-vulnerable");
            return stop;
        }
        var candidates = ((CandidateResult.Found)found).Candidates;
        // A whole tag group too large to check one by one goes as one tag-targeted command, after bounded look-ups.
        if (candidates.WholeTag is { } wholeGroup && candidates.Instances.Count > settings.CheckEachMax)
            return await large.StartAsync(turn, wholeGroup, candidates.Description, candidates.Addressed).ConfigureAwait(false);
        // Anything else this large would have to go by id: more than a few commands' worth is refused, not trimmed.
        if (candidates.Instances.Count > PatchSettings.MaxById)
            return PatchRefusals.TooManyById(turn, candidates.Instances.Count, candidates.Description, candidates.Tag);
        // A single instance goes straight to the read-back, which needs the patch groups: read them alongside the agents.
        var groups = candidates.NamedDirectly || candidates.Instances.Count == 1 ? patches.ListPatchGroupBaselinesAsync(turn.Cancellation)
            : null;
        var assessment = await PatchEligibility.AssessAsync(patches, isolation, candidates.Instances, turn.Cancellation)
            .ConfigureAwait(false);
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return PatchRefusals.NothingEligible(turn, assessment);
        }

        var wholeTag = assessment.Skipped.Count == 0 ? candidates.WholeTag : null;
        if (candidates.NamedDirectly || assessment.Eligible.Count == 1)
            return await readBack.ForInstancesAsync(turn, assessment, wholeTag, candidates.Description, prefix: null, groups)
                .ConfigureAwait(false);
        Observed.Forget(groups);

        var lang = turn.Lang;
        var names = candidates.Instances.Select(i => i.DisplayName).ToList();
        var what = PatchSpeech.What(lang, names.Count, candidates.Description);
        var intro = candidates.Vulnerable
            ? lang.Say("patch.choose.intro.vulnerable", ("what", what), ("names", PatchSpeech.Names(lang, names)))
            : lang.Say("patch.choose.intro", ("what", what), ("names", PatchSpeech.Names(lang, names)));
        var eligible = assessment.Eligible;
        PatchConversationMemory.SetChoice(turn, new PatchChoice
        {
            Offered = new TargetMemory
            {
                Description = candidates.Description,
                InstanceIds = eligible.Select(t => t.Id).ToList(),
                Names = eligible.Select(t => t.Name).ToList(),
                TagKey = wholeTag?.Key,
                TagValue = wholeTag?.Value,
            },
            HeardTagKey = turn.Slot(PatchCandidateFinder.TagKeySlot).Value,
            HeardTagValue = turn.Slot(PatchCandidateFinder.TagValueSlot).Value,
        });
        var question = Spoken.Join(intro, PatchSpeech.Skipped(lang, assessment.Skipped),
            PatchSpeech.ForeignMarked(lang, assessment.ForeignMarked), lang.Say("patch.choose.question"));
        var reprompt = lang.Say("patch.choose.reprompt", ("first", eligible[0].Name), ("last", eligible[^1].Name));
        var intent = PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot);
        return Reply.ElicitSlot(question, reprompt, PatchSelection.SelectionSlot, intent)
            .WithCard(lang.Text("patch.card.title"), PatchCards.CandidateCard(lang, eligible, assessment.Skipped))
            .Labelled("which-ones");
    }

    /// <summary>Step 2: the answer to "which ones?". <paramref name="declined"/> answers "none of them".</summary>
    public async Task<Reply> ChooseAsync(TurnContext turn, PatchChoice choice, Func<PendingAction?, Reply> declined)
    {
        var lang = turn.Lang;
        var offered = choice.Offered;
        var answer = PatchSelection.Read(turn);
        if ((offered.IdsOmitted || choice.Large is not null) && answer is SelectionAnswer.All or SelectionAnswer.Only
            or SelectionAnswer.Except)
            return await large.ChooseAsync(turn, choice, answer).ConfigureAwait(false);
        IReadOnlyList<string> chosen;
        switch (answer)
        {
            case SelectionAnswer.None:
            {
                var pending = turn.State.Pending;
                Confirmation.Clear(turn);
                return declined(pending);
            }
            case SelectionAnswer.All:
                chosen = offered.InstanceIds;
                break;
            case SelectionAnswer.Only only:
                var (onlyIds, onlyMissed) = await MatchOfferedAsync(turn, only.Heard, offered).ConfigureAwait(false);
                if (onlyMissed is not null) return PatchRefusals.NotOffered(turn, onlyMissed, offered);
                chosen = onlyIds;
                break;
            case SelectionAnswer.Except except:
                var (exceptIds, exceptMissed) = await MatchOfferedAsync(turn, except.Heard, offered).ConfigureAwait(false);
                if (exceptMissed is not null) return PatchRefusals.NotOffered(turn, exceptMissed, offered);
                chosen = offered.InstanceIds.Where(id => !exceptIds.Contains(id, StringComparer.Ordinal)).ToList();
                if (chosen.Count == 0)
                {
                    PatchConversationMemory.SetChoice(turn, null);
                    PatchAudit.Write(turn, "patch", "nothing-chosen", skipped: exceptIds);
                    return Reply.Ask(lang.Say("patch.choose.nothingLeft"), lang.Say("reprompt.generic")).Labelled("nothing-chosen");
                }
                break;
            default:
                var didntGet = lang.Say("patch.choose.didntGet", ("first", offered.Names.FirstOrDefault() ?? ""),
                    ("last", offered.Names.LastOrDefault() ?? ""));
                return Reply.ElicitSlot(didntGet, didntGet, PatchSelection.SelectionSlot,
                    PatchSpeech.Without(turn.Intent!, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot))
                        .Labelled("which-ones-again");
        }

        // Time has passed since the question: read the chosen instances again before reading them back.
        var (ordered, assessment, groups) = await recheck.DescribeAndAssessAsync(turn, chosen).ConfigureAwait(false);
        if (assessment.Eligible.Count == 0)
        {
            Observed.Forget(groups);
            return PatchRefusals.NothingEligible(turn, assessment);
        }
        var wholeTag = answer is SelectionAnswer.All && offered.TagKey is { } key && offered.TagValue is { } value
            && assessment.Skipped.Count == 0 && ordered.Count == chosen.Count
            ? new TagSelector(key, value) : null;
        return await readBack.ForInstancesAsync(turn, assessment, wholeTag, offered.Description, prefix: null, groups)
            .ConfigureAwait(false);
    }

    // Spoken names are matched locally first; the resolver, which knows every way a name can be said, is the fallback.
    private async Task<(IReadOnlyList<string> Ids, string? Unmatched)> MatchOfferedAsync(TurnContext turn, string heard,
        TargetMemory offered)
    {
        var local = PatchSelection.Match(heard, offered.InstanceIds, offered.Names);
        if (local.Unmatched is null) return local;
        var resolved = await targets.ResolveAsync(new TargetQuery { Name = heard }, turn.Cancellation).ConfigureAwait(false);
        if (resolved is TargetResult.Found found)
        {
            var ids = found.Selection.Ids.Where(id => offered.InstanceIds.Contains(id, StringComparer.Ordinal)).ToList();
            if (ids.Count > 0) return (ids, null);
        }
        return local;
    }
}
