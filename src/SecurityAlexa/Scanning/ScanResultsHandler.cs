using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Scanning;

/// <summary>
/// ScanResultsIntent: "what did the scan find?", "how many vulnerabilities do the production instances have?".
/// Reports the latest CIS scan of the tag (or the one this conversation started), the open vulnerabilities
/// by severity from one aggregation per page (so the cost does not grow with the findings), and which
/// instances are worst. The vulnerable instances become the conversation's focus, so "patch them" works next.
/// </summary>
public sealed class ScanResultsHandler(ITargetResolver targets, IVulnerabilityScanner scanner) : IntentHandler
{
    /// <summary>The severity slot.</summary>
    public const string SeveritySlot = "Severity";

    // Findings detailed on the card; CIS scan pages searched for the tag's latest scan.
    private const int CardFindings = 5;
    private const int MaxScanPages = 3;

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["ScanResultsIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
        [TargetSpeech.TagKeySlot, TargetSpeech.TagValueSlot, TargetSpeech.InstanceNameSlot, SeveritySlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var progress = turn.Progress.SayAsync(turn.Lang.Text("scan.progress.results"), turn.Cancellation);
        try
        {
            return await AnswerAsync(turn).ConfigureAwait(false);
        }
        finally
        {
            await progress.ConfigureAwait(false);
        }
    }

    private async Task<Reply> AnswerAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var ct = turn.Cancellation;

        // What to report on: the instances named now, else this conversation's scan, else the skill's latest scan.
        TagSelector? tag = null;
        ScanMemory? remembered = null;
        CisScanInfo? latestOfOurs = null;
        var query = TargetSpeech.Query(turn);
        if (!query.IsEmpty)
        {
            var result = await targets.ResolveAsync(query, ct).ConfigureAwait(false);
            if (result is not TargetResult.Found found) return TargetSpeech.ReplyFor(turn, result);
            tag = ScanSpeech.ScanTag(found.Selection);
            if (tag is null)
                return Reply.Ask(lang.Say("scan.needsTag", ("name", found.Selection.Instances[0].DisplayName)), lang.Say("scan.reprompt")).Labelled("needs-tag");
        }
        else if (turn.State.Scan is { TagValues.Count: > 0 } scan)
        {
            remembered = scan;
            tag = new TagSelector(scan.TagKey, scan.TagValues[0]) { Values = scan.TagValues };
        }
        else
        {
            latestOfOurs = await FindScanAsync(new CisScanQuery(NamePrefix: ScanNames.Prefix), s => ScanNames.IsOurs(s.Name), ct).ConfigureAwait(false);
            if (latestOfOurs?.TargetTags.FirstOrDefault() is { Key: { } key, Value: { Count: > 0 } values })
                tag = new TagSelector(key, values[0]) { Values = values };
            if (tag is null) return Reply.Ask(lang.Say("scan.results.nothing"), lang.Say("scan.reprompt")).Labelled("no-scan");
        }

        // The scan, the severity counts and the worst findings do not depend on each other: ask at once.
        var scanTask = latestOfOurs is not null ? Task.FromResult<CisScanInfo?>(latestOfOurs)
            : remembered is not null ? FindScanAsync(new CisScanQuery(ConfigurationArn: remembered.ConfigurationArn), _ => true, ct)
            : FindScanAsync(new CisScanQuery(NamePrefix: ScanNames.PrefixFor(tag)), s => ScanNames.IsScanOf(s.Name, tag), ct);
        var findingsTask = scanner.FindingsByInstanceAsync(tag, ct);
        var topTask = Optional(turn, scanner.TopFindingsAsync(tag, CardFindings, ct), (IReadOnlyList<FindingDetail>)[]);
        var scanInfo = await Observe(scanTask, findingsTask, topTask).ConfigureAwait(false);

        var completed = scanInfo is { State: CisScanState.Completed };
        var cisTask = completed ? scanner.ScanResultsAsync(scanInfo!.ScanArn, ct) : Task.FromResult<IReadOnlyList<CisInstanceResult>>([]);
        var reportTask = completed ? Optional(turn, scanner.ReportUrlAsync(scanInfo!.ScanArn, ct), null) : Task.FromResult<string?>(null);
        var findings = await Observe(findingsTask, cisTask, reportTask).ConfigureAwait(false);
        // Per-instance checks, the card's findings and the report link are detail: when AWS is slow they are
        // left out (the scan's own totals still give passed and failed), so the answer itself arrives in time.
        var cis = await Observe(TurnBudget.WithinTurnAsync(turn, cisTask, [], "scan.cis-results"), reportTask).ConfigureAwait(false);
        var top = await TurnBudget.WithinTurnAsync(turn, topTask, [], "scan.top-findings").ConfigureAwait(false);
        var reportUrl = await TurnBudget.WithinTurnAsync(turn, reportTask, null, "scan.report-url").ConfigureAwait(false);

        // Names for CIS results come from the findings rows, else from EC2.
        var names = findings.Where(f => f.Name is not null).ToDictionary(f => f.InstanceId, f => f.Name!, StringComparer.Ordinal);
        var missing = cis.Select(r => r.InstanceId).Where(id => !names.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var i in await TurnBudget.WithinTurnAsync(turn, targets.DescribeAsync(missing, ct), [], "scan.cis-names").ConfigureAwait(false))
                names[i.Id] = i.DisplayName;
        }
        string NameOf(string id) => names.GetValueOrDefault(id) ?? id;

        var target = ScanSpeech.Target(lang, tag);
        var parts = new List<Spoken> { ScanSentence(lang, turn.Now, target, scanInfo, remembered, cis, NameOf) };
        var card = new List<string>();
        if (scanInfo is not null)
        {
            card.Add(lang.Text("scan.card.scan", ("name", scanInfo.Name ?? scanInfo.ScanArn), ("state", scanInfo.State.ToString()),
                ("at", scanInfo.StartedAt is { } at ? lang.Clock(at) : "-"),
                ("passed", cis.Count > 0 ? cis.Sum(r => r.Passed) : (scanInfo.TotalChecks ?? 0) - (scanInfo.FailedChecks ?? 0)),
                ("failed", cis.Count > 0 ? cis.Sum(r => r.Failed) : scanInfo.FailedChecks ?? 0)));
        }

        var (vulnSpeech, vulnerable) = VulnerabilitySentences(lang, target, findings, turn.Slot(SeveritySlot).Value);
        parts.Add(vulnSpeech);
        card.AddRange(findings.Select(f => lang.Text("scan.card.instance", ("name", f.Name ?? f.InstanceId), ("id", f.InstanceId),
            ("critical", f.Counts.Critical), ("high", f.Counts.High), ("medium", f.Counts.Medium), ("lower", f.Counts.Lower))));
        card.AddRange(top.Select(d => lang.Text("scan.card.finding", ("severity", d.Severity), ("vulnerability", d.VulnerabilityId ?? d.Title),
            ("package", d.Package ?? "-"), ("instance", NameOf(d.InstanceId)), ("fix", d.FixAvailable ?? "-"))));
        if (reportUrl is not null) card.Add(lang.Text("scan.card.report", ("url", reportUrl)));

        if (vulnerable.Count > 0)
        {
            // "Patch them" acts on exactly the instances just named; the tag lets it say where they are.
            var byTag = tag.Key != TagIndex.NameKey;
            // Above InstanceSet.MaxIds a tag's set keeps only the tag, size and digest; "patch them" reads it again from the tag and the findings.
            turn.State.Focus = TargetMemory.Of(
                byTag ? lang.Say("target.tagged", ("key", tag.Key), ("value", tag.Value)).Text : lang.List(vulnerable.Select(v => v.Name ?? v.InstanceId)),
                vulnerable.Select(v => v.InstanceId).ToList(),
                vulnerable.Select(v => v.Name ?? v.InstanceId).ToList(),
                byTag ? tag.Key : null,
                byTag ? tag.Value : null,
                vulnerable: true);
            parts.Add(lang.Say("scan.results.patchHint"));
        }
        if (scanInfo is not null && remembered is null && scanInfo.Name is { } scanName)
        {
            turn.State.Scan = new ScanMemory
            {
                ConfigurationArn = scanInfo.ConfigurationArn,
                Name = scanName,
                TagKey = tag.Key,
                TagValues = [.. tag.Values],
                StartedAt = scanInfo.StartedAt ?? turn.Now,
            };
        }

        var reply = Reply.Ask(Spoken.Join(parts), lang.Say("scan.results.reprompt"));
        if (card.Count > 0) reply.WithCard(lang.Text("scan.card.title"), string.Join('\n', card));
        return reply.Labelled(scanInfo is null ? "results-no-scan" : "results-" + scanInfo.State.ToString().ToLowerInvariant());
    }

    private static Spoken ScanSentence(Lang lang, DateTimeOffset now, Spoken target, CisScanInfo? scan, ScanMemory? remembered,
        IReadOnlyList<CisInstanceResult> cis, Func<string, string> nameOf)
    {
        if (scan is null)
        {
            // A one-time scan appears in the list only once Inspector has begun it.
            return remembered is not null
                ? lang.Say("scan.results.pending", ("target", target), ("ago", lang.Ago(remembered.StartedAt, now)))
                : lang.Say("scan.results.noScanOf", ("target", target));
        }
        var started = scan.StartedAt ?? now;
        var clock = lang.Clock(started);
        var ago = lang.Ago(started, now);
        switch (scan.State)
        {
            case CisScanState.InProgress:
                return lang.Say("scan.results.running", ("target", target), ("clock", clock), ("ago", ago));
            case CisScanState.Failed:
                return lang.Say("scan.results.failed", ("target", target), ("clock", clock));
            case CisScanState.Cancelled:
                return lang.Say("scan.results.cancelled", ("target", target), ("clock", clock));
        }

        var parts = new List<Spoken>();
        var checkedResults = cis.Where(r => r.Passed + r.Failed > 0).ToList();
        if (checkedResults.Count > 0)
        {
            parts.Add(lang.Say("scan.results.completed", ("target", target), ("clock", clock), ("ago", ago),
                ("passed", checkedResults.Sum(r => r.Passed)), ("failed", checkedResults.Sum(r => r.Failed))));
            var worst = checkedResults.OrderByDescending(r => r.Failed).First();
            if (checkedResults.Count > 1 && worst.Failed > 0)
                parts.Add(lang.Say("scan.results.mostFailed", ("name", nameOf(worst.InstanceId)), ("count", worst.Failed)));
        }
        else if (scan.TotalChecks is { } total && scan.FailedChecks is { } failed)
        {
            parts.Add(lang.Say("scan.results.completed", ("target", target), ("clock", clock), ("ago", ago), ("passed", total - failed), ("failed", failed)));
        }
        else
        {
            parts.Add(lang.Say("scan.results.completedNoCounts", ("target", target), ("clock", clock), ("ago", ago)));
        }
        var notChecked = cis.Where(r => r.StatusReason == "SSM_UNMANAGED").Select(r => nameOf(r.InstanceId)).ToList();
        if (notChecked.Count > 0)
            parts.Add(ScanSpeech.Plural(lang, "scan.results.unchecked", notChecked.Count, ("names", lang.ListSome(notChecked, ScanSpeech.MaxNames))));
        return Spoken.Join(parts);
    }

    // The vulnerability summary, and the instances it names as vulnerable.
    private static (Spoken Speech, List<InstanceFindings> Vulnerable) VulnerabilitySentences(Lang lang, Spoken target, IReadOnlyList<InstanceFindings> findings, string? severity)
    {
        var rows = findings.Where(f => f.Counts.All > 0)
            .OrderByDescending(f => f.Counts.Critical).ThenByDescending(f => f.Counts.High).ThenByDescending(f => f.Counts.All)
            .ToList();
        string Names(IEnumerable<InstanceFindings> set) => lang.ListSome(set.Select(f => f.Name ?? f.InstanceId).ToList(), ScanSpeech.MaxNames);
        string Instances(int n) => lang.Count(n, "instance");

        if (SeverityOf(severity) is { } chosen)
        {
            var withIt = rows.Where(r => chosen.Count(r.Counts) > 0).ToList();
            var word = lang.Text("scan.severity." + chosen.Key);
            return withIt.Count == 0
                ? (lang.Say("scan.vulns.severityNone", ("severity", word), ("target", target)), [])
                : (lang.Say("scan.vulns.severity", ("count", withIt.Sum(r => chosen.Count(r.Counts))), ("severity", word),
                    ("instances", Instances(withIt.Count)), ("names", Names(withIt))), withIt);
        }

        if (rows.Count == 0) return (lang.Say("scan.vulns.none", ("target", target)), []);
        var total = rows.Aggregate(SeverityCounts.None, (sum, r) => sum + r.Counts);
        var serious = rows.Where(r => r.Counts.Critical + r.Counts.High > 0).ToList();
        if (serious.Count == 0)
        {
            return (lang.Say("scan.vulns.lowerOnly", ("medium", total.Medium), ("lower", total.Lower),
                ("instances", Instances(rows.Count)), ("names", Names(rows))), rows);
        }

        var summary = (total.Critical, total.High) switch
        {
            ( > 0, > 0) => lang.Say("scan.vulns.criticalAndHigh", ("critical", total.Critical), ("high", total.High), ("instances", Instances(serious.Count)), ("names", Names(serious))),
            ( > 0, _) => lang.Say("scan.vulns.criticalOnly", ("critical", total.Critical), ("instances", Instances(serious.Count)), ("names", Names(serious))),
            _ => lang.Say("scan.vulns.highOnly", ("high", total.High), ("instances", Instances(serious.Count)), ("names", Names(serious))),
        };
        var worst = serious[0];
        var worstName = worst.Name ?? worst.InstanceId;
        Spoken? worstSpeech = null;
        // With one instance named, saying it has them all would only repeat it.
        if (serious.Count == 1) return (summary, serious);
        if (total.Critical > 0)
        {
            if (worst.Counts.Critical == total.Critical)
            {
                worstSpeech = total.Critical switch
                {
                    1 => lang.Say("scan.vulns.worst.one", ("name", worstName)),
                    2 => lang.Say("scan.vulns.worst.both", ("name", worstName)),
                    _ => lang.Say("scan.vulns.worst.all", ("name", worstName), ("count", total.Critical)),
                };
            }
            else worstSpeech = lang.Say("scan.vulns.worst.most", ("name", worstName), ("count", worst.Counts.Critical));
        }
        else
        {
            var mostHigh = serious.OrderByDescending(r => r.Counts.High).First();
            worstSpeech = lang.Say("scan.vulns.worst.mostHigh", ("name", mostHigh.Name ?? mostHigh.InstanceId), ("count", mostHigh.Counts.High));
        }
        return (Spoken.Join(summary, worstSpeech), serious);
    }

    private sealed record Severity(string Key, Func<SeverityCounts, long> Count);

    private static Severity? SeverityOf(string? spoken) => spoken?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        var s when s.Contains("critical", StringComparison.Ordinal) => new("critical", c => c.Critical),
        var s when s.Contains("high", StringComparison.Ordinal) => new("high", c => c.High),
        var s when s.Contains("medium", StringComparison.Ordinal) || s.Contains("moderate", StringComparison.Ordinal) => new("medium", c => c.Medium),
        var s when s.Contains("low", StringComparison.Ordinal) => new("low", c => c.Lower),
        _ => null,
    };

    // Pages through the scans, newest first, for the first that passes the check.
    private async Task<CisScanInfo?> FindScanAsync(CisScanQuery query, Func<CisScanInfo, bool> accept, CancellationToken ct)
    {
        string? token = null;
        for (var page = 0; page < MaxScanPages; page++)
        {
            var scans = await scanner.ListScansAsync(query, token, ct).ConfigureAwait(false);
            if (scans.Items.FirstOrDefault(accept) is { } found) return found;
            token = scans.NextToken;
            if (token is null) break;
        }
        return null;
    }

    // Details for the card are a nice-to-have: their failure is logged, not spoken.
    private static async Task<T> Optional<T>(TurnContext turn, Task<T> task, T fallback)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            turn.Log.Warn("scan.optional.failed", ("requestId", turn.RequestId), ("operation", e.Operation), ("failure", e.Failure.ToString()));
            return fallback;
        }
    }

    // Awaits the first task; if it fails, the others are observed so their failures are not left unobserved.
    private static async Task<T> Observe<T>(Task<T> first, params Task[] others)
    {
        try
        {
            return await first.ConfigureAwait(false);
        }
        catch
        {
            foreach (var t in others) _ = t.ContinueWith(static x => _ = x.Exception, TaskScheduler.Default);
            throw;
        }
    }
}
