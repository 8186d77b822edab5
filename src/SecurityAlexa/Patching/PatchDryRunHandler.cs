using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// PatchDryRunIntent: "what would happen if I patch prod?". Says which instances would be patched,
/// which would be skipped and why, and which baselines apply. It only reads; nothing is sent.
/// </summary>
public sealed class PatchDryRunHandler(ITargetResolver targets, IPatchManager patches, IVulnerabilityLookup? vulnerabilities, PatchSettings settings) : IntentHandler
{
    private readonly PatchCandidateFinder _finder = new(targets, vulnerabilities);

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["PatchDryRunIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
        [PatchCandidateFinder.TagKeySlot, PatchCandidateFinder.TagValueSlot, PatchCandidateFinder.InstanceNameSlot, PatchCandidateFinder.ScopeSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var found = await _finder.FindAsync(turn).ConfigureAwait(false);
        if (PatchSpeech.ForNoCandidates(turn, found) is { } stop) return stop;
        var candidates = ((CandidateResult.Found)found).Candidates;
        var assessment = await PatchEligibility.AssessAsync(patches, candidates.Instances, turn.Cancellation).ConfigureAwait(false);
        var eligible = assessment.Eligible;
        var baselines = await PatchBaselines.PlanAsync(patches, eligible, turn.Cancellation).ConfigureAwait(false);

        var names = eligible.Select(t => t.Name).ToList();
        var speech = Spoken.Join(
            eligible.Count == 0
                ? lang.Say("patch.dryRun.none")
                : lang.Say("patch.dryRun", ("what", PatchSpeech.What(lang, eligible.Count)), ("names", PatchSpeech.Names(lang, names)), ("reboot", PatchSpeech.Reboot(lang, settings))),
            PatchSpeech.Baselines(lang, baselines),
            PatchSpeech.Skipped(lang, assessment.Skipped),
            eligible.Count > settings.MaxInstances ? lang.Say("patch.dryRun.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null,
            lang.Say("patch.dryRun.end"));

        // "Patch them" right after a dry run means the instances it just described.
        if (!candidates.FromFocus && eligible.Count > 0)
        {
            turn.State.Focus = new TargetMemory
            {
                Description = candidates.Description,
                InstanceIds = eligible.Select(t => t.Id).ToList(),
                Names = names,
                TagKey = candidates.Tag?.Key,
                TagValue = candidates.Tag?.Value,
            };
        }

        PatchAudit.Write(turn, "dry-run", "nothing-sent", eligible.Select(t => t.Id), assessment.Skipped.Select(s => s.Instance.Id));
        var card = new List<string> { lang.Text("patch.card.instances", ("names", string.Join(", ", eligible.Select(t => $"{t.Name} ({t.Id})")))) };
        if (assessment.Skipped.Count > 0)
            card.Add(lang.Text("patch.card.skipped", ("names", string.Join(", ", assessment.Skipped.Select(s => $"{s.Instance.DisplayName} ({s.Reason})")))));
        card.AddRange(PatchSpeech.BaselineCardLines(lang, baselines));
        return Reply.Ask(speech, lang.Say("patch.dryRun.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled("dry-run");
    }
}
