using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>
/// What containment says per instance (one short sentence for what was done, one for what failed), shows on the card and
/// posts to chat. Steps done on an earlier request are shown on the card only, so a repeated request posts nothing new.
/// </summary>
internal static class ContainmentSpeech
{
    /// <summary>
    /// The read-back's sentence on what containment will change before the swap: for one instance each step it will take;
    /// for several, each step with the instances it applies to; when the reads failed, each step "where it applies". Revoking
    /// role sessions is said on its own, since it reaches everything that uses the role. Empty when nothing will change.
    /// </summary>
    public static Spoken ReadBack(Lang lang, IReadOnlyList<(string Name, ContainmentPlan Plan)> plans)
    {
        if (plans.Count == 0) return Spoken.Empty;
        Spoken said;
        if (plans.Any(p => !p.Plan.Known))
            said = lang.Say(plans.Count == 1 ? "contain.readBack.unknown.one" : "contain.readBack.unknown.many");
        else if (plans.Count == 1)
        {
            var (name, plan) = plans[0];
            var steps = plan.Steps.Where(a => a != ContainmentAction.RevokeSessions).ToList();
            said = steps.Count == 0 ? Spoken.Empty : lang.Say("contain.readBack.one", ("name", name), ("steps", lang.List(steps.Select(a =>
                lang.Text("contain.will." + a, ("count", lang.Count(Math.Max(1, plan.TargetGroups), "contain.targetGroup")))))));
        }
        else
        {
            var steps = Enum.GetValues<ContainmentAction>().Where(a => a != ContainmentAction.RevokeSessions)
                .Select(a => (Action: a, Names: plans.Where(p => p.Plan.Steps.Contains(a)).Select(p => p.Name).ToList()))
                .Where(s => s.Names.Count > 0).ToList();
            said = steps.Count == 0 ? Spoken.Empty : lang.Say("contain.readBack.many", ("steps", lang.List(steps.Select(s =>
                lang.Text("contain.willFor." + s.Action, ("names", lang.ListSome(s.Names, 3)))))));
        }
        return plans.Any(p => p.Plan.RevokeSessions) ? Spoken.Join(said, lang.Say("contain.readBack.revoke")) : said;
    }

    /// <summary>After an isolation: per instance, what was done and, plainly, what was not.</summary>
    public static IEnumerable<Spoken> Isolated(Lang lang, IEnumerable<InstanceIsolation> instances) =>
        instances.SelectMany(i => Said(lang, i.DisplayName, i.Containment, ContainmentOutcome.Done, "contain.done", "contain.did.",
            ContainmentOutcome.Failed, "contain.failed", "contain.fail."));

    /// <summary>After a release: per instance, what was undone and what could not be.</summary>
    public static IEnumerable<Spoken> Released(Lang lang, IEnumerable<InstanceRelease> instances) =>
        instances.SelectMany(i => Said(lang, i.DisplayName, i.Containment, ContainmentOutcome.Undone, "contain.undone", "contain.undid.",
            ContainmentOutcome.UndoFailed, "contain.undoFailed", "contain.unfail."));

    /// <summary>True when this request took (or tried) a step.</summary>
    public static bool ChangedAnything(ContainmentReport? report) =>
        report?.Steps.Any(s => s.Outcome is not ContainmentOutcome.AlreadyDone) == true;

    /// <summary>The card's lines for one instance: every step with what it touched and how it went.</summary>
    public static IEnumerable<string> CardLines(Lang lang, ContainmentReport? report) =>
        (report?.Steps ?? []).Select(s => s.Error is { } e
            ? lang.Text("contain.card.failed", ("step", lang.Text("contain.card.step." + s.Action)), ("detail", s.Detail ?? ""),
                ("operation", e.Operation), ("code", e.ErrorCode ?? e.Failure.ToString()))
            : lang.Text("contain.card.line", ("step", lang.Text("contain.card.step." + s.Action)), ("detail", s.Detail ?? ""),
                ("outcome", lang.Text("contain.card.outcome." + s.Outcome))));

    /// <summary>The chat line for one instance, or null when this request changed or failed nothing.</summary>
    public static string? ChatLine(Lang lang, string name, string instanceId, ContainmentReport? report)
    {
        var steps = (report?.Steps ?? []).Where(s => s.Outcome != ContainmentOutcome.AlreadyDone).ToList();
        if (steps.Count == 0) return null;
        return lang.Text("contain.chat", ("name", name), ("id", instanceId), ("steps", string.Join("; ", steps.Select(s =>
            lang.Text("contain.chat.step", ("step", lang.Text("contain.card.step." + s.Action)), ("detail", s.Detail ?? ""),
                ("outcome", s.Error is { } e ? lang.Text("contain.card.outcome." + s.Outcome) + " " + (e.ErrorCode ?? e.Failure.ToString())
                    : lang.Text("contain.card.outcome." + s.Outcome))).Trim()))));
    }

    private static IEnumerable<Spoken> Said(Lang lang, string name, ContainmentReport? report, ContainmentOutcome good, string goodKey,
        string goodPrefix, ContainmentOutcome bad, string badKey, string badPrefix)
    {
        if (report is null) yield break;
        var done = report.Steps.Where(s => s.Outcome == good).ToList();
        if (done.Count > 0)
            yield return lang.Say(goodKey, ("name", name), ("steps", lang.List(done.Select(s =>
                lang.Text(goodPrefix + s.Action, ("count", lang.Count(Math.Max(1, s.Count), "contain.targetGroup")))))));
        var failed = report.Steps.Where(s => s.Outcome == bad).ToList();
        if (failed.Count == 0) yield break;
        yield return lang.Say(badKey, ("name", name),
            ("what", lang.List(failed.Select(s => lang.Text(badPrefix + s.Action)).Distinct(StringComparer.Ordinal))));
        if (failed.Select(f => f.Error).FirstOrDefault(e => e is not null) is { } error) yield return ErrorSpeech.ForAws(lang, error);
    }
}
