using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation.Screens;

/// <summary>
/// The isolation capability's screen, for isolate and release: per instance, each interface with its groups before and
/// after, termination protection, snapshots and any problem; who asked, when and why above.
/// </summary>
internal static class IsolationScreens
{
    /// <summary>The isolation document (isolate and release).</summary>
    public const string Document = "isolation";

    /// <summary>What an isolation did, from its report.</summary>
    public static ScreenData IsolatedData(Lang lang, IsolationReport report, string how, DateTimeOffset at, string reason, string summary)
    {
        var items = report.Instances.Take(Screen.MaxRows).Select(i =>
        {
            var lines = i.Interfaces.Select(n => lang.Text("screen.isolation.interface." + n.Outcome,
                ("eni", n.InterfaceId), ("before", Groups(lang, n.OriginalGroups)), ("after", i.IsolationGroupId ?? "-"),
                    ("open", i.UnsafeGroupId ?? "-"))).ToList();
            if (i.Subject is not null)
            {
                lines.Add(i.TerminationProtectionBefore is { } before
                    ? lang.Text("screen.isolation.protection", ("now", OnOff(lang, i.TerminationProtectionOn)),
                        ("before", OnOff(lang, before)))
                    : lang.Text("screen.isolation.protectionNow", ("now", OnOff(lang, i.TerminationProtectionOn))));
                lines.Add(i.SnapshotIds.Count > 0 ? lang.Text("screen.isolation.snapshots", ("ids", string.Join(", ", i.SnapshotIds)))
                    : lang.Text("screen.isolation.noSnapshots"));
            }
            lines.AddRange(i.Errors.Select(e => lang.Text("screen.isolation.problem", ("operation", e.Operation),
                ("code", e.ErrorCode ?? e.Failure.ToString()))));
            return new ScreenItem
            {
                Id = i.InstanceId,
                Title = i.DisplayName,
                Detail = i.IsolationGroupId is { } group ? lang.Text("screen.isolation.detail", ("id", i.InstanceId), ("group", group))
                    : lang.Text("screen.isolation.detailNoGroup", ("id", i.InstanceId)),
                Badge = lang.Text("screen.isolation.outcome." + i.Outcome),
                Color = ScreenDocuments.Tone(i.Outcome switch
                {
                    IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated => "ok",
                    IsolationOutcome.Partial or IsolationOutcome.Deferred => "changing",
                    IsolationOutcome.NotFound or IsolationOutcome.Terminated or IsolationOutcome.NotRequested or IsolationOutcome.Busy
                        or IsolationOutcome.Protected => "skipped",
                    _ => "failed",
                }),
                Lines = lines,
            };
        }).ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.isolation.title.isolate"),
            Subtitle = lang.Text("screen.isolation.subtitle", ("how", how), ("clock", lang.Clock(at)), ("reason", reason)),
            Summary = summary,
            ListTitle = lang.Text("screen.isolation.list"),
            Items = items,
            More = Screen.More(lang, report.Instances.Count, items.Count),
            Hint = items.Count > 0 ? lang.Text("screen.hint.touch") : null,
        };
    }

    /// <summary>What a release did, from its report.</summary>
    public static ScreenData ReleasedData(Lang lang, ReleaseReport report, string how, DateTimeOffset at, string summary)
    {
        var items = report.Instances.Take(Screen.MaxRows).Select(i =>
        {
            var lines = i.Interfaces.Select(n => lang.Text("screen.release.interface." + n.Outcome, ("eni", n.InterfaceId),
                ("groups", Groups(lang, n.RestoredGroups)))).ToList();
            if (i.TerminationProtectionNow is { } now) lines.Add(lang.Text("screen.isolation.protectionNow", ("now", OnOff(lang, now))));
            lines.AddRange(i.Errors.Select(e => lang.Text("screen.isolation.problem", ("operation", e.Operation),
                ("code", e.ErrorCode ?? e.Failure.ToString()))));
            return new ScreenItem
            {
                Id = i.InstanceId,
                Title = i.DisplayName,
                Detail = lang.Text("screen.isolation.detailNoGroup", ("id", i.InstanceId)),
                Badge = lang.Text("screen.release.outcome." + i.Outcome),
                Color = ScreenDocuments.Tone(i.Outcome switch
                {
                    ReleaseOutcome.Released => "ok",
                    ReleaseOutcome.Partial => "changing",
                    ReleaseOutcome.NoRecord or ReleaseOutcome.NotFound or ReleaseOutcome.Busy => "skipped",
                    _ => "failed",
                }),
                Lines = lines,
            };
        }).ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.isolation.title.release"),
            Subtitle = lang.Text("screen.isolation.subtitleRelease", ("how", how), ("clock", lang.Clock(at))),
            Summary = summary,
            ListTitle = lang.Text("screen.isolation.list"),
            Items = items,
            More = Screen.More(lang, report.Instances.Count, items.Count),
            Hint = items.Count > 0 ? lang.Text("screen.hint.touch") : null,
        };
    }

    /// <summary>Which instances are isolated now: since when, by whom, why, and where each interface is.</summary>
    public static ScreenData StatusData(Lang lang, IReadOnlyList<IsolationSubject> isolated, Func<IsolationSubject, bool> complete,
        DateTimeOffset now, string summary)
    {
        var items = isolated.Take(Screen.MaxRows).Select(s =>
        {
            var lines = new List<string>();
            if (s.IsolatedAt is { } at) lines.Add(lang.Text("screen.isolation.since", ("at", lang.Clock(at)), ("ago", lang.Ago(at, now))));
            if (s.IsolatedBy is { } by) lines.Add(lang.Text("screen.isolation.by", ("who", IsolationSpeech.HowByVoice(lang, by))));
            lines.Add(lang.Text("screen.isolation.reason",
                ("reason", string.IsNullOrWhiteSpace(s.Reason) ? lang.Text("isolate.noReason") : s.Reason.Trim())));
            lines.AddRange(s.Interfaces.Select(n => lang.Text("screen.isolation.interfaceNow", ("eni", n.Id),
                ("groups", Groups(lang, n.GroupIds)))));
            var whole = complete(s);
            return new ScreenItem
            {
                Id = s.InstanceId,
                Title = s.DisplayName,
                Detail = lang.Text("screen.isolation.detailNoGroup", ("id", s.InstanceId)),
                Badge = lang.Text(whole ? "screen.isolation.outcome.Isolated" : "screen.isolation.outcome.Partial"),
                Color = ScreenDocuments.Tone(whole ? "ok" : "changing"),
                Lines = lines,
            };
        }).ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.isolation.title.status"),
            Summary = summary,
            ListTitle = lang.Text("screen.isolation.list"),
            Items = items,
            More = Screen.More(lang, isolated.Count, items.Count),
            Hint = items.Count > 0 ? lang.Text("screen.hint.touch") : null,
        };
    }

    private static string Groups(Lang lang, IReadOnlyList<string> groups) => groups.Count == 0 ? lang.Text("screen.isolation.noGroups")
        : string.Join(", ", groups);

    private static string OnOff(Lang lang, bool on) => lang.Text(on ? "screen.isolation.on" : "screen.isolation.off");
}
