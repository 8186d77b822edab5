using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>Card text for the patch conversation: bounded lists of instances, commands and baselines.</summary>
internal static class PatchCards
{
    // How many names a large group's card lists.
    private const int CardNames = 20;

    internal static string CandidateCard(Lang lang, IReadOnlyList<PatchTarget> eligible, IReadOnlyList<SkippedInstance> skipped)
    {
        var lines = new List<string> { lang.Text("patch.card.instances",
            ("names", string.Join(", ", eligible.Select(t => $"{t.Name} ({t.Id})")))) };
        if (skipped.Count > 0)
            lines.Add(lang.Text("patch.card.skipped",
                ("names", string.Join(", ", skipped.Select(s => $"{s.Instance.DisplayName} ({s.Reason})")))));
        return string.Join("\n", lines);
    }

    internal static string ReadBackCard(Lang lang, IReadOnlyList<PatchTarget> eligible, IReadOnlyList<SkippedInstance> skipped,
        IReadOnlyList<BaselineUse> baselines) =>
        string.Join("\n", [CandidateCard(lang, eligible, skipped), .. PatchSpeech.BaselineCardLines(lang, baselines)]);

    internal static string StartedCard(Lang lang, string reference, IEnumerable<string> commandIds, IReadOnlyList<string> names,
        IReadOnlyList<SkippedInstance> skipped)
    {
        var lines = new List<string>
        {
            lang.Text("patch.card.commands", ("ids", string.Join(", ", commandIds))),
            lang.Text("patch.card.reference", ("ref", reference)),
            lang.Text("patch.card.instances", ("names", string.Join(", ", names))),
        };
        if (skipped.Count > 0)
            lines.Add(lang.Text("patch.card.skipped",
                ("names", string.Join(", ", skipped.Select(s => $"{s.Instance.DisplayName} ({s.Reason})")))));
        return string.Join("\n", lines);
    }

    // Bounded whatever the group's size: the tag, the count, the first names, the agents sampled and the baselines.
    internal static string LargeCard(Lang lang, TagSelector tag, int count, IReadOnlyList<string> names, TagGroupSummary? summary)
    {
        var lines = new List<string> { lang.Text("patch.card.tag", ("tag", tag.Key + "=" + tag.Value), ("count", count)) };
        if (names.Count > 0)
        {
            var shown = string.Join(", ", names.Take(CardNames));
            lines.Add(lang.Text("patch.card.instances",
                ("names", names.Count > CardNames ? lang.Text("patch.card.andMore", ("names", shown), ("more", names.Count - CardNames))
                : shown)));
        }
        if (summary is not null)
        {
            lines.Add(lang.Text("patch.card.sampled", ("online", summary.SampledOnline), ("sampled", summary.Sampled),
                ("platforms", summary.Platforms.Count == 0 ? "-" : string.Join(", ", summary.Platforms))));
            lines.AddRange(summary.Baselines.Select(b => lang.Text("patch.card.groupBaseline", ("group", b.PatchGroup ?? "-"),
                ("baseline", b.Baseline ?? "default"), ("count", b.Count))));
        }
        return string.Join("\n", lines);
    }
}
