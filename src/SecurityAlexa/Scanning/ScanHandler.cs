using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Scanning;

/// <summary>
/// ScanIntent: "scan the instances tagged environment production". Resolves the instances, checks that
/// Inspector scans EC2 here (offering to turn it on, after a yes), reads back exactly what a one-time CIS
/// scan aimed at the tag would cover and waits for a yes, then starts it and says how well continuous
/// vulnerability scanning covers those instances.
/// </summary>
internal sealed class ScanHandler(ITargetResolver targets, IVulnerabilityScanner scanner, string securityLevel = "LEVEL_1")
    : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind for "turn on scanning, then scan".</summary>
    public const string EnableAndScanKind = "enable-and-scan";

    /// <summary>The pending-action kind for "start a CIS scan of these instances".</summary>
    public const string StartScanKind = "start-scan";

    private const string AccountArg = "account";
    private const string TagKeyArg = "tagKey";
    private const string TagValuesArg = "tagValues";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["ScanIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.TagKeySlot, TargetSpeech.TagValueSlot,
        TargetSpeech.InstanceNameSlot];

    /// <summary>Two kinds of read-back end in a yes to ScanIntent; the turn is judged against the one that is pending.</summary>
    protected override string PendingKind(TurnContext turn) => turn.State.Pending?.Kind == EnableAndScanKind ? EnableAndScanKind
        : StartScanKind;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        pending?.Kind == EnableAndScanKind
            ? Reply.Ask(turn.Lang.Say("scan.disabled.denied"), turn.Lang.Say("scan.reprompt")).Labelled("enable-denied")
            : Reply.Ask(turn.Lang.Say("scan.confirm.denied"), turn.Lang.Say("scan.reprompt")).Labelled("scan-denied");

    /// <inheritdoc />
    /// <remarks>After the yes the instances and Inspector's status are read beside the replay claim (issue 18).</remarks>
    protected override bool SettlesClaimBeforeChanging => true;

    /// <inheritdoc />
    protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending) =>
        pending.Kind == EnableAndScanKind ? EnableThenScanAsync(turn, pending) : StartAsync(turn, pending, null);

    /// <inheritdoc />
    protected override Task<Reply> ReadBackAsync(TurnContext turn) => StartAsync(turn, null, null);

    // A yes that cannot be trusted, as for patching: an expired read-back is read again; anything else starts nothing.
    protected override async Task<Reply> ConfirmAgainAsync(TurnContext turn, string reason)
    {
        var pending = turn.State.Pending;
        Confirmation.Clear(turn);
        if (reason == "expired" && pending is { Kind: StartScanKind or EnableAndScanKind })
            return await StartAsync(turn, null, turn.Lang.Say("scan.confirm.again")).ConfigureAwait(false);
        if (reason is "count-mismatch" or "count-missing")
            return Reply.Tell(turn.Lang.Say("scan.sayCount.wrong")).Labelled("count-mismatch");
        var said = reason == "nothing-pending" ? "scan.confirm.invalid" : "scan.confirm.mismatch";
        return Reply.Ask(turn.Lang.Say(said), turn.Lang.Say("scan.askWhich.reprompt")).Labelled("confirm-invalid");
    }

    // Turn 1 (confirmed is null): resolve and read back. After a yes: resolve again, and start only when the
    // instances are still the ones read back; otherwise read the new set back.
    private async Task<Reply> StartAsync(TurnContext turn, PendingAction? confirmed, Spoken? prefix)
    {
        var lang = turn.Lang;
        if (confirmed is not null) Confirmation.Clear(turn);
        var query = TargetSpeech.Query(turn);
        if (query.IsEmpty)
        {
            var question = lang.Say("scan.askWhich");
            return turn.Intent is { } intent
                ? Reply.ElicitSlot(question, lang.Say("scan.askWhich.reprompt"), TargetSpeech.TagValueSlot, intent).Labelled("ask-which")
                : Reply.Ask(question, lang.Say("scan.askWhich.reprompt")).Labelled("ask-which");
        }

        // "Starting the scan" only once it has been agreed, and its claim won (a replayed yes hears only the refusal); the
        // read-back turn is only looking.
        var progress = confirmed is null ? turn.Progress.SayAsync(lang.Text("scan.progress.finding"), turn.Cancellation)
            : SayOnceClaimedAsync(turn, lang.Text("scan.progress.starting"));
        // Whether Inspector scans EC2 does not depend on the instances: ask while they are resolved, so that
        // a slow AWS costs one round trip less (a read that is wasted only when nothing matches).
        var statusTask = scanner.GetStatusAsync(turn.Cancellation);
        var statusAwaited = false;
        try
        {
            var result = await targets.ResolveAsync(query, turn.Cancellation).ConfigureAwait(false);
            if (result is not TargetResult.Found found) return TargetSpeech.ReplyFor(turn, result);
            var selection = found.Selection;
            if (ScanSpeech.ScanTag(selection) is not { } tag)
                return Reply.Ask(lang.Say("scan.needsTag", ("name", selection.Instances[0].DisplayName)), lang.Say("scan.reprompt"))
                    .Labelled("needs-tag");

            statusAwaited = true;
            var status = await statusTask.ConfigureAwait(false);
            switch (status.Ec2)
            {
                case ScanningState.Enabled when confirmed is not null && SameTargets(confirmed, selection, tag):
                    return await LaunchAsync(turn, selection, tag, status.AccountId, prefix).ConfigureAwait(false);
                case ScanningState.Enabled:
                    // Nothing is created before a yes to exactly this set; a yes to a set that has changed hears the new one.
                    if (confirmed is not null)
                    {
                        turn.Log.Info("scan.confirm.changed", ("requestId", turn.RequestId), ("before", confirmed.Size),
                            ("now", selection.Instances.Count));
                        prefix = Spoken.Join(prefix, lang.Say("scan.confirm.changed"));
                    }
                    return ReadBack(turn, selection, tag, status.AccountId, prefix);
                case ScanningState.Enabling:
                    return Reply.Ask(lang.Say("scan.enabling"), lang.Say("scan.reprompt")).Labelled("enabling");
                case ScanningState.Disabled:
                    var pending = Pending(EnableAndScanKind, selection, tag, status.AccountId);
                    var readBack = Spoken.Join(prefix,
                        lang.Say("scan.disabled.offer", ("account", Spoken.Characters(status.AccountId)),
                        ("subject", TargetSpeech.Subject(lang, selection))));
                    return Confirmation.Ask(turn, pending, readBack, lang.Say("scan.disabled.offer.reprompt"),
                        lang.Say("scan.disabled.offer.question"));
                default:
                    return Reply.Ask(lang.Say("scan.unavailable", ("state", status.Ec2.ToString().ToLowerInvariant())),
                        lang.Say("scan.reprompt")).Labelled("unavailable");
            }
        }
        finally
        {
            if (!statusAwaited) Observed.Forget(statusTask);
            // Let the "starting the scan" message finish before the answer; it never throws.
            await progress.ConfigureAwait(false);
        }
    }

    // The progress message of a yes, said only once the turn's replay claim is won; like every progress message, it never throws.
    private static async Task SayOnceClaimedAsync(TurnContext turn, string text)
    {
        try
        {
            if (await turn.SettleDeferredAsync().ConfigureAwait(false) is not null) return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The pipeline settles the claim again and answers for it.
            return;
        }
        await turn.Progress.SayAsync(text, turn.Cancellation).ConfigureAwait(false);
    }

    // "I'll start an Inspector scan of the 3 instances tagged Environment prod: web-1, web-2 and db-1. Shall I?"
    private static Reply ReadBack(TurnContext turn, TargetSelection selection, TagSelector tag, string accountId, Spoken? prefix)
    {
        var lang = turn.Lang;
        var subject = TargetSpeech.Subject(lang, selection);
        var readBack = selection.Tag is null || selection.Instances.Count == 1
            ? lang.Say("scan.confirm.readBack.one", ("subject", subject))
            : lang.Say("scan.confirm.readBack", ("subject", subject),
                ("names", lang.ListSome(selection.Instances.Select(i => i.DisplayName).ToList(), ScanSpeech.MaxNames)));
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, Pending(StartScanKind, selection, tag, accountId), Spoken.Join(prefix, readBack),
            lang.Say("scan.confirm.reprompt"), lang.Say("scan.confirm.question")),
                selection.Instances.Select(i => new ScreenRow(i.Id, i.DisplayName)));
    }

    // The ids read back, or for a large set its size and digest (the session stays far below Alexa's 24 KB).
    private static PendingAction Pending(string kind, TargetSelection selection, TagSelector tag, string accountId)
    {
        var ids = selection.Ids;
        var carry = ids.Count <= InstanceSet.MaxIds;
        return new PendingAction
        {
            Kind = kind,
            Intent = "ScanIntent",
            InstanceIds = carry ? [.. ids] : [],
            Count = carry ? null : ids.Count,
            Digest = carry ? null : InstanceSet.Digest(ids),
            Args = new Dictionary<string, string>
            {
                [AccountArg] = accountId,
                [TagKeyArg] = tag.Key,
                [TagValuesArg] = string.Join('\n', tag.Values),
            },
        };
    }

    // The tag read back, and exactly the instances read back, still running with it.
    private static bool SameTargets(PendingAction pending, TargetSelection selection, TagSelector tag)
    {
        var values = pending.Args.GetValueOrDefault(TagValuesArg, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (pending.Args.GetValueOrDefault(TagKeyArg) != tag.Key || !values.Order(StringComparer.Ordinal)
            .SequenceEqual(tag.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            return false;
        var ids = selection.Ids;
        return pending.Count is { } count
            ? count == ids.Count && pending.Digest == InstanceSet.Digest(ids)
            : pending.InstanceIds.Count == ids.Count && pending.InstanceIds.ToHashSet(StringComparer.Ordinal).SetEquals(ids);
    }

    private async Task<Reply> EnableThenScanAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        Confirmation.Clear(turn);
        var values = pending.Args.GetValueOrDefault(TagValuesArg, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var key = pending.Args.GetValueOrDefault(TagKeyArg, "");
        var query = TargetSpeech.Query(turn);
        if (key.Length == 0 || values.Length == 0 || query.IsEmpty) return Reply.Ask(lang.Say("scan.askWhich"),
            lang.Say("scan.askWhich.reprompt")).Labelled("pending-invalid");

        // The same words as the read-back (the confirmation checks the slots): resolve them again while scanning is turned on.
        var resolveTask = targets.ResolveAsync(query, turn.Cancellation);
        AccountScanning status;
        try
        {
            // Someone may have turned it on since the question; only enable when it is still off.
            status = await scanner.GetStatusAsync(turn.Cancellation).ConfigureAwait(false);
            if (status.Ec2 is not (ScanningState.Enabled or ScanningState.Enabling))
            {
                // A replay turns nothing on.
                if (await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal)
                {
                    Observed.Forget(resolveTask);
                    return refusal;
                }
                // Too little of the turn left to hear back (the claim may have been slow): offered again, nothing turned on.
                if (!TurnBudget.CanStartAChange(turn))
                {
                    Observed.Forget(resolveTask);
                    turn.Log.Warn("scan.enable.deferred", ("requestId", turn.RequestId), ("left", TurnBudget.Left(turn)));
                    return Confirmation.Ask(turn, pending, lang.Say("scan.slow.notEnabled"), lang.Say("scan.slow.notStarted.reprompt"),
                        lang.Say("scan.slow.question")).Labelled("enable-deferred");
                }
                var enabled = await scanner.EnableEc2Async(turn.Cancellation).ConfigureAwait(false);
                if (enabled.Ec2 is not (ScanningState.Enabled or ScanningState.Enabling))
                {
                    Observed.Forget(resolveTask);
                    return Reply.Ask(lang.Say("scan.enable.failed", ("reason", enabled.ErrorCode ?? enabled.Ec2.ToString())),
                        lang.Say("scan.reprompt")).Labelled("enable-failed");
                }
                turn.Log.Info("scan.enabled", ("requestId", turn.RequestId), ("account", enabled.AccountId));
            }
        }
        catch
        {
            Observed.Forget(resolveTask);
            throw;
        }
        var account = pending.Args.GetValueOrDefault(AccountArg) ?? status.AccountId;
        try
        {
            var result = await resolveTask.ConfigureAwait(false);
            if (result is not TargetResult.Found { Selection: var selection } || ScanSpeech.ScanTag(selection) is not { } tag)
                return Reply.Ask(Spoken.Join(lang.Say("scan.enabledFirst"), lang.Say("scan.confirm.gone")), lang.Say("scan.reprompt"))
                    .Labelled("scan-targets-gone");
            // The yes covered exactly the instances read back; a set that has changed is read back again first.
            if (!SameTargets(pending, selection, tag))
                return ReadBack(turn, selection, tag, account,
                    Spoken.Join(lang.Say("scan.enabledFirst"), lang.Say("scan.confirm.changed")));
            return await LaunchAsync(turn, selection, tag, account, lang.Say("scan.enabledFirst")).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // Scanning is on now; say so as well as what failed.
            turn.Log.Error("scan.start.failed", ("requestId", turn.RequestId), ("operation", e.Operation),
                ("failure", e.Failure.ToString()));
            return Reply.Ask(Spoken.Join(lang.Say("scan.enabledFirst"), ErrorSpeech.ForAws(lang, e)), lang.Say("scan.reprompt"))
                .Labelled("scan-failed-after-enable");
        }
    }

    private async Task<Reply> LaunchAsync(TurnContext turn, TargetSelection selection, TagSelector tag, string accountId, Spoken? prefix)
    {
        var lang = turn.Lang;
        // A replay starts nothing. Settled first, so that the time left below counts what the claim took.
        if (await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal) return refusal;
        // When AWS has been so slow that the scan could not be confirmed in this turn, start nothing and say so.
        if (!TurnBudget.CanStartAChange(turn))
        {
            turn.Log.Warn("scan.start.deferred", ("requestId", turn.RequestId), ("left", TurnBudget.Left(turn)));
            // The same set is offered again: a yes tries once more, and it is quicker then, because the tags are cached.
            return ReadBackScreen.Show(turn, Confirmation.Ask(turn, Pending(StartScanKind, selection, tag, accountId),
                    Spoken.Join(prefix, lang.Say("scan.slow.notStarted", ("subject", TargetSpeech.Subject(lang, selection)))),
                    lang.Say("scan.slow.notStarted.reprompt"), lang.Say("scan.slow.question"))
                .Labelled("scan-deferred"), selection.Instances.Select(i => new ScreenRow(i.Id, i.DisplayName)));
        }
        var name = ScanNames.For(tag, turn.Now);
        // One page only: read to the end, a fleet of 10,000 costs 50 calls and the yes runs out of time.
        var coverageTask = scanner.CoverageAsync(tag, maxPages: 1, turn.Cancellation);
        string configurationArn;
        try
        {
            configurationArn = await scanner.StartCisScanAsync(name, accountId, tag, securityLevel, turn.Cancellation)
                .ConfigureAwait(false);
        }
        catch
        {
            Observed.Forget(coverageTask);
            throw;
        }
        turn.Log.Info("scan.started", ("requestId", turn.RequestId), ("scanName", name), ("instances", selection.Instances.Count));
        turn.State.Scan = new ScanMemory
        {
            ConfigurationArn = configurationArn,
            Name = name,
            TagKey = tag.Key,
            TagValues = [.. tag.Values],
            StartedAt = turn.Now,
            InstanceCount = selection.Instances.Count,
        };

        Spoken coverageSpeech;
        var card = new List<string> { lang.Text("scan.card.started", ("name", name), ("subject", TargetSpeech.Subject(lang, selection))) };
        try
        {
            // Coverage is detail after the scan has started: waited for only while the turn can afford it.
            var coverage = await TurnBudget.WithinTurnAsync(turn, OrNull(coverageTask), null, "scan.coverage").ConfigureAwait(false);
            if (coverage is null) coverageSpeech = lang.Say("scan.coverage.unread");
            else
            {
                coverageSpeech = ScanSpeech.Coverage(lang, selection.Instances, coverage, turn.Now);
                card.AddRange(CoverageCard(lang, selection.Instances, coverage));
            }
        }
        catch (AwsCallException e)
        {
            // The scan has started; a coverage failure is reported, not allowed to hide that.
            turn.Log.Error("scan.coverage.failed", ("requestId", turn.RequestId), ("operation", e.Operation),
                ("failure", e.Failure.ToString()));
            coverageSpeech = ErrorSpeech.ForAws(lang, e);
        }

        var speech = Spoken.Join(prefix, lang.Say("scan.started", ("subject", TargetSpeech.Subject(lang, selection))), coverageSpeech,
            lang.Say("scan.askLater"));
        return Reply.Ask(speech, lang.Say("scan.reprompt")).WithCard(lang.Text("scan.card.title"), string.Join('\n', card))
            .Labelled("scan-started");
    }

    private static async Task<CoverageReport?> OrNull(Task<CoverageReport> task) => await task.ConfigureAwait(false);

    // A line for each of the first few instances; a fleet's worth would take the response past Alexa's 24 KB. When only
    // a page was read, the lines are for instances on that page, under Inspector's exact count.
    private static List<string> CoverageCard(Lang lang, IReadOnlyList<InstanceInfo> instances, CoverageReport coverage)
    {
        var byId = coverage.Entries.GroupBy(c => c.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var listed = coverage.Complete ? instances : instances.Where(i => byId.ContainsKey(i.Id)).ToList();
        var lines = new List<string>();
        if (!coverage.Complete && coverage.CoveredCount is { } covered)
            lines.Add(lang.Text("scan.card.coverageCounted", ("covered", Math.Min(covered, instances.Count)), ("count", instances.Count),
                ("read", listed.Count)));
        lines.AddRange(listed.Take(ScanResultsHandler.CardInstances)
            .Select(i => ScanSpeech.CoverageLine(lang, i, byId.GetValueOrDefault(i.Id))));
        if (instances.Count > ScanResultsHandler.CardInstances)
            lines.Add(lang.Text("scan.card.moreInstances",
                ("count", instances.Count - Math.Min(listed.Count, ScanResultsHandler.CardInstances))));
        return lines;
    }
}
