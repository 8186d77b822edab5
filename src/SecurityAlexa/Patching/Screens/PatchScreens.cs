using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Patching.Screens;

/// <summary>The patch capability's screen: how a patch run stands, per instance, with the spoken summary above.</summary>
internal static class PatchScreens
{
    /// <summary>The patch status document.</summary>
    public const string Status = "patchStatus";

    // SSM's command statuses that mean the instance was never patched (not a failed patch): shown as skipped, with the reason.
    private static readonly HashSet<string> NotRun =
        new(StringComparer.Ordinal) { "Cancelled", "Terminated", "Undeliverable", "DeliveryTimedOut" };

    /// <summary>
    /// A run told instance by instance. The bars are the spoken counts (succeeded, in progress, failed; skipped instances are
    /// among the failed the speech counts, and are labelled as skipped with their reason on their row).
    /// </summary>
    public static ScreenData StatusData(Lang lang, string what, string ago, IReadOnlyList<PatchInvocation> invocations, int notStarted,
        Func<PatchInvocation, bool> succeeded, Func<PatchInvocation, bool> running, Func<string, string> name, string summary)
    {
        var done = invocations.Count(succeeded);
        var inProgress = invocations.Count(running) + notStarted;
        var failed = invocations.Count - invocations.Count(succeeded) - invocations.Count(running);
        var items = invocations
            .OrderBy(i => succeeded(i) ? 2 : running(i) ? 1 : 0)
            .Take(Screen.MaxRows)
            .Select(i =>
            {
                var state = succeeded(i) ? "succeeded" : running(i) ? "inProgress" : NotRun.Contains(i.Status) ? "skipped" : "failed";
                return new ScreenItem
                {
                    Id = i.InstanceId,
                    Title = name(i.InstanceId),
                    Detail = i.StatusDetails is { Length: > 0 } d && d != i.Status
                        ? lang.Text("screen.patch.reason", ("status", i.Status), ("details", d)) : i.Status,
                    Badge = lang.Text("screen.patch.state." + state),
                    Color = ScreenDocuments.Tone(Tone(state)),
                };
            })
            .ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.patch.title", ("what", what)),
            Subtitle = lang.Text("screen.patch.subtitle", ("ago", ago)),
            Summary = summary,
            BarsTitle = lang.Text("screen.patch.bars"),
            Bars = Bars(lang, ("succeeded", done), ("inProgress", inProgress), ("failed", failed)),
            ListTitle = lang.Text("screen.patch.list"),
            Items = items,
            More = notStarted > 0 && invocations.Count <= Screen.MaxRows
                ? lang.Text("screen.patch.notStarted", ("count", notStarted))
                : Screen.More(lang, invocations.Count, items.Count),
            Hint = items.Count > 0 ? lang.Text("screen.hint.touch") : null,
        };
    }

    /// <summary>A run too large to list, told from the commands' own counts: the same figures the speech gives, as bars.</summary>
    public static ScreenData CountedData(Lang lang, string what, string ago, int completed, int inProgress, int failed, int notReached,
        string summary) => new()
    {
        Title = lang.Text("screen.patch.title", ("what", what)),
        Subtitle = lang.Text("screen.patch.subtitle", ("ago", ago)),
        Summary = summary,
        BarsTitle = lang.Text("screen.patch.bars"),
        Bars = Bars(lang, ("completed", completed), ("inProgress", inProgress), ("failed", failed), ("notReached", notReached)),
        ListTitle = lang.Text("screen.patch.tooMany"),
        Items = [],
    };

    private static List<ScreenBar> Bars(Lang lang, params (string State, int Count)[] figures)
    {
        var widest = Math.Max(1, figures.Max(f => f.Count));
        return figures.Select(f => new ScreenBar
        {
            Label = lang.Text("screen.patch.state." + f.State),
            Count = f.Count,
            Text = lang.Number(f.Count),
            Width = (int)Math.Round(100.0 * f.Count / widest) + "%",
            Color = ScreenDocuments.Tone(Tone(f.State)),
        }).ToList();
    }

    private static string Tone(string state) => state switch
    {
        "succeeded" or "completed" => "ok",
        "inProgress" => "running",
        "skipped" or "notReached" => "skipped",
        _ => "failed",
    };
}
