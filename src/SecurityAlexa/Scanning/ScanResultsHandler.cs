using SecurityAlexa.Scanning.Screens;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Scanning;

/// <summary>
/// ScanResultsIntent: "what did the scan find?", "how many vulnerabilities do the production instances have?".
/// Reports the latest CIS scan of the tag (or the one this conversation started), the open vulnerabilities
/// by severity from one aggregation per page (so the cost does not grow with the findings), and which
/// instances are worst. The vulnerable instances become the conversation's focus, so "patch them" works next.
/// </summary>
internal sealed class ScanResultsHandler(ITargetResolver targets, IVulnerabilityScanner scanner, IncidentTickets? tickets = null)
    : IntentHandler
{
    /// <summary>The severity slot.</summary>
    public const string SeveritySlot = "Severity";

    // Findings detailed on the card; CIS scan pages searched for the tag's latest scan.
    private const int CardFindings = 5;
    private const int MaxScanPages = 3;

    // Per-instance rows read, worst first: two aggregation pages and one page of CIS results, so the number of
    // calls stays the same above a few hundred instances. Beyond them the answer says "at least".
    internal const int MaxInstanceRows = 200;
    internal const int MaxCisRows = 100;

    // Instance lines on the card; the rest are counted, so the response stays far below Alexa's 24 KB.
    internal const int CardInstances = 10;

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

        var (chosen, stop) = await ChooseTargetAsync(turn).ConfigureAwait(false);
        if (chosen is not { Tag: var tag, Remembered: var remembered, LatestOfOurs: var latestOfOurs }) return stop!;

        // The scan, the severity counts and the worst findings do not depend on each other: ask at once.
        var scanTask = latestOfOurs is not null ? Task.FromResult<CisScanInfo?>(latestOfOurs)
            : remembered is not null ? FindScanAsync(new CisScanQuery(ConfigurationArn: remembered.ConfigurationArn), _ => true, ct)
            : FindScanAsync(new CisScanQuery(NamePrefix: ScanNames.PrefixFor(tag)), s => ScanNames.IsScanOf(s.Name, tag), ct);
        var severity = SeverityOf(turn.Slot(SeveritySlot).Value);
        var findingsTask = scanner.WorstInstancesAsync(tag, severity?.SortBy ?? "CRITICAL", MaxInstanceRows, ct);
        var topTask = Optional(turn, scanner.TopFindingsAsync(tag, CardFindings, ct), (IReadOnlyList<FindingDetail>)[]);
        var scanInfo = await Observe(scanTask, findingsTask, topTask).ConfigureAwait(false);

        var completed = scanInfo is { State: CisScanState.Completed };
        var noCis = new Bounded<CisInstanceResult>([], true);
        var cisTask = completed ? scanner.ScanResultsAsync(scanInfo!.ScanArn, MaxCisRows, ct) : Task.FromResult(noCis);
        var reportTask = completed ? Optional(turn, scanner.ReportUrlAsync(scanInfo!.ScanArn, ct), null) : Task.FromResult<string?>(null);
        var bounded = await Observe(findingsTask, cisTask, reportTask).ConfigureAwait(false);
        if (!ReadAccessCheck.MayHearNames(turn)) return CountsOnly(turn, tag, bounded);
        var findings = bounded.Items;
        // Per-instance checks, the card's findings and the report link are detail: when AWS is slow they are
        // left out (the scan's own totals still give passed and failed), so the answer itself arrives in time.
        var cis = await Observe(TurnBudget.WithinTurnAsync(turn, cisTask, noCis, "scan.cis-results"), reportTask).ConfigureAwait(false);
        var top = await TurnBudget.WithinTurnAsync(turn, topTask, [], "scan.top-findings").ConfigureAwait(false);
        var reportUrl = await TurnBudget.WithinTurnAsync(turn, reportTask, null, "scan.report-url").ConfigureAwait(false);

        // Names for CIS results come from the findings rows, else from EC2.
        var names = findings.Where(f => f.Name is not null).ToDictionary(f => f.InstanceId, f => f.Name!, StringComparer.Ordinal);
        // Only the instances the answer names need a name: the one that failed the most and the few not checked.
        var spoken = cis.Items.Take(1).Concat(cis.Items.Where(r => r.StatusReason == "SSM_UNMANAGED").Take(ScanSpeech.MaxNames))
            .Select(r => r.InstanceId);
        var missing = spoken.Where(id => !names.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            foreach (var i in await TurnBudget.WithinTurnAsync(turn, targets.DescribeAsync(missing, ct), [], "scan.cis-names")
                .ConfigureAwait(false))
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
                ("passed", cis is { Complete: true,
                    Items.Count: > 0 } ? cis.Items.Sum(r => r.Passed) : (scanInfo.TotalChecks ?? 0) - (scanInfo.FailedChecks ?? 0)),
                ("failed", cis is { Complete: true, Items.Count: > 0 } ? cis.Items.Sum(r => r.Failed) : scanInfo.FailedChecks ?? 0)));
        }

        var (vulnSpeech, vulnerable) = VulnerabilitySentences(lang, target, bounded, severity);
        parts.Add(vulnSpeech);
        var withFindings = findings.Where(f => f.Counts.All > 0).ToList();
        card.AddRange(withFindings.Take(CardInstances)
            .Select(f => lang.Text("scan.card.instance", ("name", f.Name ?? f.InstanceId), ("id", f.InstanceId),
            ("critical", f.Counts.Critical), ("high", f.Counts.High), ("medium", f.Counts.Medium), ("lower", f.Counts.Lower))));
        if (withFindings.Count > CardInstances || !bounded.Complete)
            card.Add(lang.Text(bounded.Complete ? "scan.card.more" : "scan.card.moreAtLeast",
                ("count", withFindings.Count - Math.Min(CardInstances, withFindings.Count))));
        card.AddRange(top.Select(d => lang.Text("scan.card.finding", ("severity", d.Severity),
            ("vulnerability", d.VulnerabilityId ?? d.Title),
            ("package", d.Package ?? "-"), ("instance", NameOf(d.InstanceId)), ("fix", d.FixAvailable ?? "-"))));
        if (reportUrl is not null) card.Add(lang.Text("scan.card.report", ("url", reportUrl)));

        if (vulnerable.Count > 0)
        {
            RememberVulnerable(turn, tag, vulnerable);
            parts.Add(lang.Say("scan.results.patchHint"));
        }
        if (scanInfo is not null && remembered is null && scanInfo.Name is { } scanName) RememberScan(turn, tag, scanInfo, scanName);

        // Critical findings are an incident of their own: one OpsItem per tag group, updated with each reading.
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, ScanTickets.Critical(lang, turn.RequestId, tag, findings))
            .ConfigureAwait(false);
        if (ticket.Speech(lang) is { } ticketSpeech) parts.Add(ticketSpeech);
        if (ticket.Line(lang) is { } ticketLine) card.Add(ticketLine);
        var reply = Reply.Ask(Spoken.Join(parts), lang.Say("scan.results.reprompt"));
        if (card.Count > 0) reply.WithCard(lang.Text("scan.card.title"), string.Join('\n', card));
        Screen.Show(turn, reply, ScanScreens.Results,
            () => ScanScreens.ResultsData(lang, target.Text, scanInfo, turn.Now, bounded, vulnSpeech.Text));
        return reply.Labelled(scanInfo is null ? "results-no-scan" : "results-" + scanInfo.State.ToString().ToLowerInvariant());
    }

    // READ_ACCESS=speakers and a voice that may not change anything: severity totals only, with no instance
    // name or id, no CVE id, no screen, and nothing remembered for "patch them".
    private static Reply CountsOnly(TurnContext turn, TagSelector tag, Bounded<InstanceFindings> findings)
    {
        var lang = turn.Lang;
        var rows = findings.Items.Where(f => f.Counts.All > 0).ToList();
        var total = rows.Aggregate(SeverityCounts.None, (sum, r) => sum + r.Counts);
        var target = ScanSpeech.Target(lang, tag);
        var said = rows.Count == 0 ? lang.Say("scan.vulns.none", ("target", target))
            : lang.Say(findings.Complete ? "scan.vulns.countsOnly" : "scan.vulns.countsOnly.partial", ("critical", total.Critical),
                ("high", total.High), ("other", total.Medium + total.Lower), ("instances", lang.Count(rows.Count, "instance")));
        var speech = Spoken.Join(said, lang.Say("scan.vulns.namesForAllowedVoices"));
        return Reply.Ask(speech, lang.Say("scan.results.reprompt")).WithCard(lang.Text("scan.card.title"), said.Text)
            .Labelled("results-counts");
    }

    /// <summary>What to report on: the instances named now, else this conversation's scan, else the skill's latest scan.</summary>
    private async Task<(ResultsTarget? Target, Reply? Stop)> ChooseTargetAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var ct = turn.Cancellation;
        TagSelector? tag = null;
        ScanMemory? remembered = null;
        CisScanInfo? latestOfOurs = null;
        var query = TargetSpeech.Query(turn);
        if (!query.IsEmpty)
        {
            var result = await targets.ResolveAsync(query, ct).ConfigureAwait(false);
            if (result is not TargetResult.Found found) return (null, TargetSpeech.ReplyFor(turn, result));
            tag = ScanSpeech.ScanTag(found.Selection);
            if (tag is null)
                return (null,
                    Reply.Ask(lang.Say("scan.needsTag", ("name", found.Selection.Instances[0].DisplayName)), lang.Say("scan.reprompt"))
                    .Labelled("needs-tag"));
        }
        else if (turn.State.Scan is { TagValues.Count: > 0 } scan)
        {
            remembered = scan;
            tag = new TagSelector(scan.TagKey, scan.TagValues[0]) { Values = scan.TagValues };
        }
        else
        {
            latestOfOurs = await FindScanAsync(new CisScanQuery(NamePrefix: ScanNames.Prefix), s => ScanNames.IsOurs(s.Name), ct)
                .ConfigureAwait(false);
            if (latestOfOurs?.TargetTags.FirstOrDefault() is { Key: { } key, Value: { Count: > 0 } values })
                tag = new TagSelector(key, values[0]) { Values = values };
            if (tag is null) return (null, Reply.Ask(lang.Say("scan.results.nothing"), lang.Say("scan.reprompt")).Labelled("no-scan"));
        }
        return (new ResultsTarget(tag!, remembered, latestOfOurs), null);
    }

    // "Patch them" acts on exactly the instances just named; the tag lets it say where they are.
    private static void RememberVulnerable(TurnContext turn, TagSelector tag, List<InstanceFindings> vulnerable)
    {
        var lang = turn.Lang;
        // A large set keeps its tag, size and digest rather than every id (TargetMemory.Of), so the session stays small.
        var byTag = tag.Key != TagIndex.NameKey;
        var vulnerableNames = vulnerable.Select(v => v.Name ?? v.InstanceId).ToList();
        turn.State.Focus = TargetMemory.Of(
            byTag ? lang.Say("target.tagged", ("key", tag.Key), ("value", tag.Value)).Text
                : lang.ListSome(vulnerableNames, ScanSpeech.MaxNames),
            vulnerable.Select(v => v.InstanceId).ToList(),
            vulnerableNames,
            byTag ? tag.Key : null,
            byTag ? tag.Value : null,
            vulnerable: true);
    }

    private static void RememberScan(TurnContext turn, TagSelector tag, CisScanInfo scanInfo, string scanName) =>
        turn.State.Scan = new ScanMemory
        {
            ConfigurationArn = scanInfo.ConfigurationArn,
            Name = scanName,
            TagKey = tag.Key,
            TagValues = [.. tag.Values],
            StartedAt = scanInfo.StartedAt ?? turn.Now,
        };

    private sealed record ResultsTarget(TagSelector Tag, ScanMemory? Remembered, CisScanInfo? LatestOfOurs);

    private static Spoken ScanSentence(Lang lang, DateTimeOffset now, Spoken target, CisScanInfo? scan, ScanMemory? remembered,
        Bounded<CisInstanceResult> bounded, Func<string, string> nameOf)
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
        var cis = bounded.Items;
        var checkedResults = cis.Where(r => r.Passed + r.Failed > 0).ToList();
        if (!bounded.Complete && scan.TotalChecks is { } allChecks && scan.FailedChecks is { } allFailed)
        {
            // Only the instances with the most failures were read: the totals come from the scan itself, and the
            // first row, sorted by failed checks, is still the one that failed the most.
            parts.Add(lang.Say("scan.results.completed", ("target", target), ("clock", clock), ("ago", ago),
                ("passed", allChecks - allFailed), ("failed", allFailed)));
            if (checkedResults.FirstOrDefault() is { Failed: > 0 } first)
                parts.Add(lang.Say("scan.results.mostFailed", ("name", nameOf(first.InstanceId)), ("count", first.Failed)));
        }
        else if (checkedResults.Count > 0 && bounded.Complete)
        {
            parts.Add(lang.Say("scan.results.completed", ("target", target), ("clock", clock), ("ago", ago),
                ("passed", checkedResults.Sum(r => r.Passed)), ("failed", checkedResults.Sum(r => r.Failed))));
            var worst = checkedResults.OrderByDescending(r => r.Failed).First();
            if (checkedResults.Count > 1 && worst.Failed > 0)
                parts.Add(lang.Say("scan.results.mostFailed", ("name", nameOf(worst.InstanceId)), ("count", worst.Failed)));
        }
        else if (scan.TotalChecks is { } total && scan.FailedChecks is { } failed)
        {
            parts.Add(lang.Say("scan.results.completed", ("target", target), ("clock", clock), ("ago", ago), ("passed", total - failed),
                ("failed", failed)));
        }
        else
        {
            parts.Add(lang.Say("scan.results.completedNoCounts", ("target", target), ("clock", clock), ("ago", ago)));
        }
        var notChecked = cis.Where(r => r.StatusReason == "SSM_UNMANAGED").Select(r => nameOf(r.InstanceId)).ToList();
        if (notChecked.Count > 0 && bounded.Complete)
            parts.Add(ScanSpeech.Plural(lang, "scan.results.unchecked", notChecked.Count,
                ("names", lang.ListSome(notChecked, ScanSpeech.MaxNames))));
        else if (notChecked.Count > 0)
            parts.Add(lang.Say("scan.results.unchecked.partial", ("names", lang.List(notChecked.Take(ScanSpeech.MaxNames).ToList()))));
        return Spoken.Join(parts);
    }

    // The vulnerability summary, and the instances it names as vulnerable. When only the worst rows were read,
    // every figure is a lower bound and is said as one ("at least"); "the worst" holds, because the rows are sorted.
    private static (Spoken Speech, List<InstanceFindings> Vulnerable) VulnerabilitySentences(Lang lang, Spoken target,
        Bounded<InstanceFindings> findings, Severity? chosen)
    {
        var rows = findings.Items.Where(f => f.Counts.All > 0)
            .OrderByDescending(f => f.Counts.Critical).ThenByDescending(f => f.Counts.High).ThenByDescending(f => f.Counts.All)
            .ToList();
        var partial = !findings.Complete;
        string Names(IEnumerable<InstanceFindings> set)
            => lang.ListSome(set.Select(f => f.Name ?? f.InstanceId).ToList(), ScanSpeech.MaxNames);
        string Instances(int n) => lang.Count(n, "instance");
        string Key(string key) => partial ? key + ".partial" : key;

        if (chosen is not null)
        {
            var withIt = rows.Where(r => chosen.Count(r.Counts) > 0).OrderByDescending(r => chosen.Count(r.Counts)).ToList();
            var word = lang.Text("scan.severity." + chosen.Key);
            return withIt.Count == 0
                ? (lang.Say(Key("scan.vulns.severityNone"), ("severity", word), ("target", target), ("count", Instances(rows.Count))), [])
                : (lang.Say(Key("scan.vulns.severity"), ("count", withIt.Sum(r => chosen.Count(r.Counts))), ("severity", word),
                    ("instances", Instances(withIt.Count)), ("names", Names(withIt))), withIt);
        }

        if (rows.Count == 0) return (lang.Say("scan.vulns.none", ("target", target)), []);
        var total = rows.Aggregate(SeverityCounts.None, (sum, r) => sum + r.Counts);
        var serious = rows.Where(r => r.Counts.Critical + r.Counts.High > 0).ToList();
        if (serious.Count == 0)
        {
            return (lang.Say(Key("scan.vulns.lowerOnly"), ("medium", total.Medium), ("lower", total.Lower),
                ("instances", Instances(rows.Count)), ("names", Names(rows))), rows);
        }

        var summary = (total.Critical, total.High) switch
        {
            ( > 0, > 0) => lang.Say(Key("scan.vulns.criticalAndHigh"), ("critical", total.Critical), ("high", total.High),
                ("instances", Instances(serious.Count)), ("names", Names(serious))),
            ( > 0, _) => lang.Say(Key("scan.vulns.criticalOnly"), ("critical", total.Critical), ("instances", Instances(serious.Count)),
                ("names", Names(serious))),
            _ => lang.Say(Key("scan.vulns.highOnly"), ("high", total.High), ("instances", Instances(serious.Count)),
                ("names", Names(serious))),
        };
        var worst = serious[0];
        var worstName = worst.Name ?? worst.InstanceId;
        Spoken? worstSpeech = null;
        // With one instance named, saying it has them all would only repeat it.
        if (serious.Count == 1) return (summary, serious);
        if (total.Critical > 0)
        {
            // "Has both critical ones" claims a total: only when every row was read.
            if (worst.Counts.Critical == total.Critical && !partial)
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
        else if (!partial)
        {
            // The rows are sorted by critical findings; with none, the most high ones are certain only when all were read.
            var mostHigh = serious.OrderByDescending(r => r.Counts.High).First();
            worstSpeech = lang.Say("scan.vulns.worst.mostHigh", ("name", mostHigh.Name ?? mostHigh.InstanceId),
                ("count", mostHigh.Counts.High));
        }
        return (Spoken.Join(summary, worstSpeech), serious);
    }

    private sealed record Severity(string Key, string SortBy, Func<SeverityCounts, long> Count);

    private static Severity? SeverityOf(string? spoken) => spoken?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        var s when s.Contains("critical", StringComparison.Ordinal) => new("critical", "CRITICAL", c => c.Critical),
        var s when s.Contains("high", StringComparison.Ordinal) => new("high", "HIGH", c => c.High),
        var s when s.Contains("medium", StringComparison.Ordinal) || s.Contains("moderate", StringComparison.Ordinal)
            => new("medium", "ALL", c => c.Medium),
        var s when s.Contains("low", StringComparison.Ordinal) => new("low", "ALL", c => c.Lower),
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
            turn.Log.Warn("scan.optional.failed", ("requestId", turn.RequestId), ("operation", e.Operation),
                ("failure", e.Failure.ToString()));
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
            foreach (var t in others) Observed.Forget(t);
            throw;
        }
    }
}
