using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>The sentences the patch intents share: counts, names, skipped instances, baselines.</summary>
internal static class PatchSpeech
{
    /// <summary>How many names are spoken before "and N more" (the rest go on the card).</summary>
    public const int SpokenNames = 6;

    /// <summary>"3 instances", optionally followed by how they were described ("3 instances tagged environment prod").</summary>
    public static string What(Lang lang, int count, string? description = null) =>
        string.IsNullOrWhiteSpace(description) ? lang.Count(count, "instance")
        : lang.Text("patch.what", ("count", lang.Count(count, "instance")), ("desc", description.Trim()));

    /// <summary>The first few names, then "and N more".</summary>
    public static string Names(Lang lang, IEnumerable<string> names) => lang.ListSome(names.ToList(), SpokenNames);

    /// <summary>"rebooting if needed" or "without rebooting".</summary>
    public static Spoken Reboot(Lang lang, PatchSettings settings) => lang.Say("patch.reboot." + settings.RebootOption);

    /// <summary>One sentence per skip reason, naming the instances.</summary>
    public static Spoken Skipped(Lang lang, IReadOnlyList<SkippedInstance> skipped)
    {
        var sentences = new List<Spoken>();
        foreach (var group in skipped.GroupBy(s => s.Reason).OrderBy(g => g.Key))
        {
            var names = group.Select(s => s.Instance.DisplayName).ToList();
            var key = group.Key switch
            {
                SkipReason.Isolated => "patch.skip.isolated",
                SkipReason.NotRunning => "patch.skip.notRunning",
                SkipReason.NoAgent => "patch.skip.noAgent",
                SkipReason.Protected => "patch.skip.protected",
                _ => "patch.skip.agentNotResponding",
            };
            sentences.Add(lang.Say(key + (names.Count == 1 ? ".one" : ".other"), ("names", Names(lang, names))));
        }
        return Spoken.Join(sentences);
    }

    /// <summary>
    /// Instances with the isolation tag but no record of this skill's: said so, because they are patched like any other
    /// (anyone allowed to tag could have added it). Null when there are none.
    /// </summary>
    public static Spoken? ForeignMarked(Lang lang, IReadOnlyList<InstanceInfo> foreign) =>
        foreign.Count == 0 ? null : ForeignMarked(lang, foreign.Count, foreign.Select(i => i.DisplayName).ToList());

    /// <summary>The same for a large tag group, from its summary.</summary>
    public static Spoken? ForeignMarked(Lang lang, TagGroupSummary summary) =>
        summary.ForeignMarked == 0 ? null : ForeignMarked(lang, summary.ForeignMarked, summary.ForeignNames);

    private static Spoken ForeignMarked(Lang lang, int count, IReadOnlyList<string> names)
    {
        // The summary keeps only the first few names; the rest stand as blanks that only "and N more" counts.
        var spoken = Names(lang, names.Concat(Enumerable.Repeat("", Math.Max(0, count - names.Count))));
        return lang.Say(count == 1 ? "patch.foreignMarker.one" : "patch.foreignMarker.other", ("names", spoken));
    }

    /// <summary>Which baseline applies to which instances, one sentence per baseline.</summary>
    public static Spoken Baselines(Lang lang, IReadOnlyList<BaselineUse> uses) =>
        Spoken.Join(uses.Select(use =>
        {
            var names = use.Targets.Select(t => t.Name).ToList();
            var form = names.Count == 1 ? ".one" : ".other";
            var spokenNames = ("names", (object?)Names(lang, names));
            if (!use.IsDefault) return lang.Say("patch.baseline.named" + form, spokenNames,
                ("baseline", use.BaselineName ?? use.PatchGroup));
            return use.DefaultForPlatform is { Length: > 0 } platform
                ? lang.Say("patch.baseline.default" + form, spokenNames, ("platform", platform))
                : lang.Say("patch.baseline.defaultUnknown" + form, spokenNames);
        }));

    /// <summary>
    /// Which baselines a large tag group will use, by patch group (from the EC2 tags and the registered groups, not per agent).
    /// </summary>
    public static Spoken LargeBaselines(Lang lang, TagGroupSummary summary) =>
        Spoken.Join(summary.Baselines.Select(b =>
        {
            var what = ("what", (object?)lang.Count(b.Count, "instance"));
            var form = b.Count == 1 ? ".one" : ".other";
            if (b.PatchGroup is null) return lang.Say("patch.large.baseline.default" + form, what);
            return b.Baseline is null
                ? lang.Say("patch.large.baseline.groupWithout" + form, what, ("group", b.PatchGroup))
                : lang.Say("patch.large.baseline.named" + form, what, ("group", b.PatchGroup), ("baseline", b.Baseline));
        }));

    /// <summary>Card lines for the baselines, with their ids.</summary>
    public static IEnumerable<string> BaselineCardLines(Lang lang, IReadOnlyList<BaselineUse> uses) =>
        uses.Select(use =>
        {
            var names = string.Join(", ", use.Targets.Select(t => t.Name));
            return use.IsDefault
                ? lang.Text("patch.card.defaultBaseline", ("platform", use.DefaultForPlatform ?? "?"), ("id", use.BaselineId ?? "?"),
                    ("names", names))
                : lang.Text("patch.card.baseline", ("baseline", use.BaselineName ?? use.PatchGroup), ("id", use.BaselineId),
                    ("names", names));
        });

    /// <summary>
    /// The chat post for patch commands that went out: who asked, which instances, the commands and the
    /// reference; with <paramref name="failure"/>, how many were not sent and why.
    /// </summary>
    public static string StartedChat(Lang lang, string speaker, IReadOnlyList<PatchTarget> patched, IReadOnlyList<string> commandIds,
        string reference,
        IReadOnlyList<SkippedInstance> skipped, PatchSettings settings, (int NotSent, string Error)? failure)
    {
        var args = new (string, object?)[]
        {
            ("how", lang.Text("patch.chat.byVoice", ("who", speaker))),
            ("count", lang.Count(patched.Count, "instance")),
            ("instances", string.Join(", ", patched.Select(t => lang.Text("patch.chat.instance", ("name", t.Name), ("id", t.Id))))),
            ("document", PatchSettings.Document),
            ("reboot", settings.RebootOption),
            ("commands", string.Join(", ", commandIds)),
            ("ref", reference),
            ("rest", failure?.NotSent),
            ("error", failure?.Error),
        };
        var lines = new List<string> { lang.Text(failure is null ? "patch.chat.started" : "patch.chat.partial", args) };
        if (skipped.Count > 0)
            lines.Add(lang.Text("patch.chat.skipped",
                ("names", string.Join(", ", skipped.Select(s => $"{s.Instance.DisplayName} ({s.Reason})")))));
        return string.Join("\n", lines);
    }

    /// <summary>The answers that mean "stop here" before any target is known, shared by patch and dry run.</summary>
    public static Reply? ForNoCandidates(TurnContext turn, CandidateResult result) => result switch
    {
        // On PatchIntent the answer ("everything tagged environment prod", "web one") comes back to the same intent.
        CandidateResult.NeedTargets when turn.Intent is { Name: "PatchIntent",
            Slots: { } slots } intent && slots.ContainsKey(TargetSpeech.TagValueSlot) =>
            Reply.ElicitSlot(turn.Lang.Say("patch.needTargets"), turn.Lang.Say("patch.needTargets.reprompt"), TargetSpeech.TagValueSlot,
                intent).Labelled("need-targets"),
        CandidateResult.NeedTargets => Reply.Ask(turn.Lang.Say("patch.needTargets"), turn.Lang.Say("patch.needTargets.reprompt"))
            .Labelled("need-targets"),
        CandidateResult.Unresolved u => TargetSpeech.ReplyFor(turn, u.Result),
        CandidateResult.VulnerabilityUnknown v => Reply.Ask(
            turn.Lang.Say("patch.vulnerable.unavailable", ("desc", v.Description)),
            turn.Lang.Say("patch.needTargets.reprompt")).Labelled("findings-unavailable"),
        CandidateResult.NoneVulnerable n
            => Reply.Tell(turn.Lang.Say("patch.vulnerable.none", ("what", What(turn.Lang, n.Count, n.Description))))
            .Labelled("nothing-vulnerable"),
        _ => null,
    };

    /// <summary>Keeps an intent's slots but forgets the ones named, for asking again.</summary>
    public static Intent Without(Intent intent, params string[] slots)
    {
        var copy = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var (name, slot) in intent.Slots ?? [])
        {
            copy[name] = slots.Contains(name, StringComparer.Ordinal)
                ? new Slot { Name = name, ConfirmationStatus = "NONE" }
                : slot;
        }
        return new Intent { Name = intent.Name, ConfirmationStatus = intent.ConfirmationStatus, Slots = copy };
    }
}
