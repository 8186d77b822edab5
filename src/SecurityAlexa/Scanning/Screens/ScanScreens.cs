using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Scanning.Screens;

/// <summary>The scan capability's screens: findings by severity as bars, and the worst instances with their counts.</summary>
internal static class ScanScreens
{
    /// <summary>The scan results document.</summary>
    public const string Results = "scanResults";

    /// <summary>
    /// The data for the results screen, from the same rows the speech is made of: the severity totals are summed over
    /// the instances with findings, in the order the speech names them (most critical, then most high, then most in all).
    /// </summary>
    public static ScreenData ResultsData(Lang lang, string target, CisScanInfo? scan, DateTimeOffset now,
        Bounded<InstanceFindings> findings, string summary)
    {
        var rows = findings.Items.Where(f => f.Counts.All > 0)
            .OrderByDescending(f => f.Counts.Critical).ThenByDescending(f => f.Counts.High).ThenByDescending(f => f.Counts.All)
            .ToList();
        var total = rows.Aggregate(SeverityCounts.None, (sum, r) => sum + r.Counts);
        var widest = Math.Max(1, new[] { total.Critical, total.High, total.Medium, total.Lower }.Max());
        string Figure(long n) => findings.Complete ? lang.Number(n) : lang.Text("screen.scan.atLeast", ("count", n));
        ScreenBar Bar(string severity, long n) => new()
        {
            Label = lang.Text("screen.severity." + severity),
            Count = n,
            Text = Figure(n),
            Width = (int)Math.Round(100.0 * n / widest) + "%",
            Color = ScreenDocuments.Tone(severity),
        };
        var items = rows.Take(Screen.MaxRows).Select(r =>
        {
            var worst = r.Counts.Critical > 0 ? "critical" : r.Counts.High > 0 ? "high" : r.Counts.Medium > 0 ? "medium" : "low";
            return new ScreenItem
            {
                Id = r.InstanceId,
                Title = r.Name ?? r.InstanceId,
                Detail = lang.Text("screen.scan.counts", ("critical", r.Counts.Critical), ("high", r.Counts.High),
                    ("medium", r.Counts.Medium), ("lower", r.Counts.Lower)),
                Badge = lang.Text("screen.severity." + worst),
                Color = ScreenDocuments.Tone(worst),
            };
        }).ToList();
        return new ScreenData
        {
            Title = lang.Text("screen.scan.title", ("target", target)),
            Subtitle = scan is null ? lang.Text("screen.scan.noScan")
                : lang.Text("screen.scan.subtitle", ("name", scan.Name ?? scan.ScanArn),
                    ("state", lang.Text("screen.scan.state." + scan.State)),
                    ("clock", scan.StartedAt is { } at ? lang.Clock(at) : "-"),
                        ("ago", scan.StartedAt is { } started ? lang.Ago(started, now) : "-")),
            Summary = summary,
            BarsTitle = lang.Text("screen.scan.bars"),
            Bars = [Bar("critical", total.Critical), Bar("high", total.High), Bar("medium", total.Medium), Bar("low", total.Lower)],
            ListTitle = lang.Text(rows.Count == 0 ? "screen.scan.none" : "screen.scan.list"),
            Items = items,
            More = Screen.More(lang, rows.Count, items.Count),
            Hint = items.Count > 0 ? lang.Text("screen.hint.touch") : null,
        };
    }
}
