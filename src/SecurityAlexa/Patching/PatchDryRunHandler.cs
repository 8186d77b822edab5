using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// PatchDryRunIntent: "what would happen if I patch prod?". Says which instances would be patched,
/// which would be skipped and why, and which baselines apply. It only reads; nothing is sent.
/// </summary>
internal sealed class PatchDryRunHandler(ITargetResolver targets, IPatchManager patches, IVulnerabilityLookup? vulnerabilities,
    PatchSettings settings, PatchIsolationCheck? isolation = null) : IntentHandler
{
    private readonly PatchIsolationCheck _isolation = isolation ?? PatchIsolationCheck.NoRecords;

    private readonly PatchCandidateFinder _finder = new(targets, vulnerabilities);

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["PatchDryRunIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
        [PatchCandidateFinder.TagKeySlot, PatchCandidateFinder.TagValueSlot, PatchCandidateFinder.InstanceNameSlot,
            PatchCandidateFinder.ScopeSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var found = await _finder.FindAsync(turn).ConfigureAwait(false);
        if (PatchSpeech.ForNoCandidates(turn, found) is { } stop) return stop;
        var candidates = ((CandidateResult.Found)found).Candidates;
        if (candidates.WholeTag is { } tag && candidates.Instances.Count > settings.CheckEachMax)
            return await LargeAsync(turn, tag, candidates).ConfigureAwait(false);
        if (candidates.Instances.Count > PatchSettings.MaxById)
        {
            PatchAudit.Write(turn, "dry-run", "too-many-by-id");
            return Reply.Ask(lang.Say("patch.dryRun.large.vulnerable",
                ("what", PatchSpeech.What(lang, candidates.Instances.Count, candidates.Description)), ("limit", PatchSettings.MaxById)),
                lang.Say("patch.dryRun.reprompt")).Labelled("dry-run");
        }
        // The agents and the patch groups are read at once; eligibility is then sorted locally.
        var ask = candidates.Instances.Select(i => i.Id).ToList();
        var agents = patches.DescribeManagedNodesAsync(ask, turn.Cancellation);
        var groups = patches.ListPatchGroupBaselinesAsync(turn.Cancellation);
        var marking = _isolation.ReadAsync(candidates.Instances, turn.Cancellation);
        await Observed.WhenAllAsync(agents, marking).ConfigureAwait(false);
        var assessment = PatchEligibility.Assess(candidates.Instances, await agents.ConfigureAwait(false),
            await marking.ConfigureAwait(false));
        var eligible = assessment.Eligible;
        var baselines = await PatchBaselines.PlanAsync(patches, eligible, turn.Cancellation, groups, turn).ConfigureAwait(false);

        var names = eligible.Select(t => t.Name).ToList();
        var speech = Spoken.Join(
            eligible.Count == 0
                ? lang.Say("patch.dryRun.none")
                : lang.Say("patch.dryRun", ("what", PatchSpeech.What(lang, eligible.Count)), ("names", PatchSpeech.Names(lang, names)),
                    ("reboot", PatchSpeech.Reboot(lang, settings))),
            PatchSpeech.Baselines(lang, baselines),
            PatchSpeech.Skipped(lang, assessment.Skipped),
            PatchSpeech.ForeignMarked(lang, assessment.ForeignMarked),
            eligible.Count > settings.MaxInstances
                ? lang.Say("patch.dryRun.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null,
            lang.Say("patch.dryRun.end"));

        // "Patch them" right after a dry run means the instances it just described.
        if (!candidates.FromFocus && eligible.Count > 0)
            turn.State.Focus = TargetMemory.Of(candidates.Description, eligible.Select(t => t.Id).ToList(), names, candidates.Tag?.Key,
                candidates.Tag?.Value,
                candidates.Vulnerable ? true : null);

        PatchAudit.Write(turn, "dry-run", "nothing-sent", eligible.Select(t => t.Id), assessment.Skipped.Select(s => s.Instance.Id));
        var card = new List<string> { lang.Text("patch.card.instances",
            ("names", string.Join(", ", eligible.Select(t => $"{t.Name} ({t.Id})")))) };
        if (assessment.Skipped.Count > 0)
            card.Add(lang.Text("patch.card.skipped",
                ("names", string.Join(", ", assessment.Skipped.Select(s => $"{s.Instance.DisplayName} ({s.Reason})")))));
        card.AddRange(PatchSpeech.BaselineCardLines(lang, baselines));
        return Reply.Ask(speech, lang.Say("patch.dryRun.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled("dry-run");
    }

    // A whole tag group too large to check one by one: the same bounded look-ups the patch itself makes, and the same refusal
    // when isolated instances carry the tag.
    private async Task<Reply> LargeAsync(TurnContext turn, TagSelector tag, PatchCandidates candidates)
    {
        var lang = turn.Lang;
        var group = await TagGroup.ReadAsync(targets, patches, _isolation, tag, withLookups: true, turn.Cancellation, candidates.Addressed)
            .ConfigureAwait(false);
        var running = group?.Running ?? [];
        if (group is null || running.Count == 0 || group.SampledAgents.Count == 0)
        {
            PatchAudit.Write(turn, "dry-run", "nothing-sent");
            return Reply.Ask(Spoken.Join(lang.Say("patch.dryRun.none"), lang.Say("patch.dryRun.end")), lang.Say("patch.dryRun.reprompt"))
                .Labelled("dry-run");
        }
        var summary = group.Summarise();
        var isolated = group.Isolated.Count;
        var speech = Spoken.Join(
            lang.Say("patch.dryRun.large", ("what", PatchSpeech.What(lang, running.Count, candidates.Description)),
                ("reboot", PatchSpeech.Reboot(lang, settings))),
            summary.NotRunning == 0 ? null
                : lang.Say(summary.NotRunning == 1 ? "patch.large.stopped.one" : "patch.large.stopped.other",
                ("what", lang.Count(summary.NotRunning, "instance"))),
            PatchSpeech.LargeBaselines(lang, summary),
            lang.Say("patch.large.agents", ("online", summary.SampledOnline), ("sampled", summary.Sampled)),
            isolated switch
            {
                0 => null,
                1 => lang.Say("patch.dryRun.large.isolated.one"),
                var n => lang.Say("patch.dryRun.large.isolated.other", ("count", n)),
            },
            group.Protected.Count switch
            {
                0 => null,
                1 => lang.Say("patch.dryRun.large.protected.one"),
                var n => lang.Say("patch.dryRun.large.protected.other", ("count", n)),
            },
            group.OffEc2?.Clears(group.Tag) == true ? null : lang.Say("patch.dryRun.large.offEc2"),
            PatchSpeech.ForeignMarked(lang, summary),
            running.Count > settings.MaxInstances
                ? lang.Say("patch.dryRun.overCap", ("limit", lang.Count(settings.MaxInstances, "instance"))) : null,
            lang.Say("patch.dryRun.end"));
        var names = running.Select(i => i.DisplayName).ToList();
        if (!candidates.FromFocus)
            turn.State.Focus = TargetMemory.Of(candidates.Description, running.Select(i => i.Id).ToList(), names, tag.Key, tag.Value);
        PatchAudit.Write(turn, "dry-run", "nothing-sent");
        PatchAudit.TagSet(turn, tag.Key, tag.Value, running.Count, summary.Digest, "dry-run");
        var card = new List<string>
        {
            lang.Text("patch.card.tag", ("tag", tag.Key + "=" + tag.Value), ("count", running.Count)),
            lang.Text("patch.card.instances",
                ("names", names.Count > 20
                ? lang.Text("patch.card.andMore", ("names", string.Join(", ", names.Take(20))), ("more", names.Count - 20))
                : string.Join(", ", names))),
            lang.Text("patch.card.sampled", ("online", summary.SampledOnline), ("sampled", summary.Sampled),
                ("platforms", summary.Platforms.Count == 0 ? "-" : string.Join(", ", summary.Platforms))),
        };
        card.AddRange(summary.Baselines.Select(b => lang.Text("patch.card.groupBaseline", ("group", b.PatchGroup ?? "-"),
            ("baseline", b.Baseline ?? "default"), ("count", b.Count))));
        return Reply.Ask(speech, lang.Say("patch.dryRun.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled("dry-run");
    }
}
