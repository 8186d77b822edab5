using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Scanning;

/// <summary>
/// ScanIntent: "scan the instances tagged environment production". Resolves the instances, checks that
/// Inspector scans EC2 here (offering to turn it on, after a yes), starts a one-time CIS scan aimed at
/// the tag, and says how well continuous vulnerability scanning covers those instances.
/// </summary>
public sealed class ScanHandler(ITargetResolver targets, IVulnerabilityScanner scanner, string securityLevel = "LEVEL_1") : IntentHandler
{
    /// <summary>The pending-action kind for "turn on scanning, then scan".</summary>
    public const string EnableAndScanKind = "enable-and-scan";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["ScanIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.TagKeySlot, TargetSpeech.TagValueSlot, TargetSpeech.InstanceNameSlot];

    /// <summary>It creates a CIS scan configuration, and can turn on Inspector.</summary>
    public override bool Mutates => true;

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        switch (Confirmation.Check(turn, EnableAndScanKind))
        {
            case ConfirmationCheck.Denied:
                Confirmation.Clear(turn);
                return Reply.Ask(turn.Lang.Say("scan.disabled.denied"), turn.Lang.Say("scan.reprompt")).Labelled("enable-denied");
            case ConfirmationCheck.Confirmed confirmed:
                return await EnableThenScanAsync(turn, confirmed.Pending).ConfigureAwait(false);
            default:
                return await StartAsync(turn).ConfigureAwait(false);
        }
    }

    private async Task<Reply> StartAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var query = TargetSpeech.Query(turn);
        if (query.IsEmpty)
        {
            var question = lang.Say("scan.askWhich");
            return turn.Intent is { } intent
                ? Reply.ElicitSlot(question, lang.Say("scan.askWhich.reprompt"), TargetSpeech.TagValueSlot, intent).Labelled("ask-which")
                : Reply.Ask(question, lang.Say("scan.askWhich.reprompt")).Labelled("ask-which");
        }

        var progress = turn.Progress.SayAsync(lang.Text("scan.progress.starting"), turn.Cancellation);
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
                return Reply.Ask(lang.Say("scan.needsTag", ("name", selection.Instances[0].DisplayName)), lang.Say("scan.reprompt")).Labelled("needs-tag");

            statusAwaited = true;
            var status = await statusTask.ConfigureAwait(false);
            switch (status.Ec2)
            {
                case ScanningState.Enabled:
                    return await LaunchAsync(turn, selection, tag, status.AccountId, null).ConfigureAwait(false);
                case ScanningState.Enabling:
                    return Reply.Ask(lang.Say("scan.enabling"), lang.Say("scan.reprompt")).Labelled("enabling");
                case ScanningState.Disabled:
                    var pending = new PendingAction
                    {
                        Kind = EnableAndScanKind,
                        Intent = "ScanIntent",
                        InstanceIds = [.. selection.Ids],
                        Args = new Dictionary<string, string>
                        {
                            ["account"] = status.AccountId,
                            ["tagKey"] = tag.Key,
                            ["tagValues"] = string.Join('\n', tag.Values),
                        },
                    };
                    var readBack = lang.Say("scan.disabled.offer", ("account", Spoken.Characters(status.AccountId)), ("subject", TargetSpeech.Subject(lang, selection)));
                    return Confirmation.Ask(turn, pending, readBack, lang.Say("scan.disabled.offer.reprompt"), lang.Say("scan.disabled.offer.question"));
                default:
                    return Reply.Ask(lang.Say("scan.unavailable", ("state", status.Ec2.ToString().ToLowerInvariant())), lang.Say("scan.reprompt")).Labelled("unavailable");
            }
        }
        finally
        {
            if (!statusAwaited) _ = statusTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            // Let the "starting the scan" message finish before the answer; it never throws.
            await progress.ConfigureAwait(false);
        }
    }

    private async Task<Reply> EnableThenScanAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        Confirmation.Clear(turn);
        var values = pending.Args.GetValueOrDefault("tagValues", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var key = pending.Args.GetValueOrDefault("tagKey", "");
        if (key.Length == 0 || values.Length == 0) return Reply.Ask(lang.Say("scan.askWhich"), lang.Say("scan.askWhich.reprompt")).Labelled("pending-invalid");
        var tag = new TagSelector(key, values[0]) { Values = values };

        // The read-back named these instances: describe exactly them (still running), while scanning is turned on.
        var describeTask = targets.DescribeAsync(pending.InstanceIds, turn.Cancellation);
        AccountScanning status;
        try
        {
            // Someone may have turned it on since the question; only enable when it is still off.
            status = await scanner.GetStatusAsync(turn.Cancellation).ConfigureAwait(false);
            if (status.Ec2 is not (ScanningState.Enabled or ScanningState.Enabling))
            {
                var enabled = await scanner.EnableEc2Async(turn.Cancellation).ConfigureAwait(false);
                if (enabled.Ec2 is not (ScanningState.Enabled or ScanningState.Enabling))
                {
                    _ = describeTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return Reply.Ask(lang.Say("scan.enable.failed", ("reason", enabled.ErrorCode ?? enabled.Ec2.ToString())), lang.Say("scan.reprompt")).Labelled("enable-failed");
                }
                turn.Log.Info("scan.enabled", ("requestId", turn.RequestId), ("account", enabled.AccountId));
            }
        }
        catch
        {
            _ = describeTask.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }
        var instances = (await describeTask.ConfigureAwait(false)).Where(i => i.State == "running").ToList();
        var selection = new TargetSelection(tag.Key + " " + tag.Value, tag, instances);
        var account = pending.Args.GetValueOrDefault("account") ?? status.AccountId;
        try
        {
            return await LaunchAsync(turn, selection, tag, account, lang.Say("scan.enabledFirst")).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // Scanning is on now; say so as well as what failed.
            turn.Log.Error("scan.start.failed", ("requestId", turn.RequestId), ("operation", e.Operation), ("failure", e.Failure.ToString()));
            return Reply.Ask(Spoken.Join(lang.Say("scan.enabledFirst"), ErrorSpeech.ForAws(lang, e)), lang.Say("scan.reprompt")).Labelled("scan-failed-after-enable");
        }
    }

    private async Task<Reply> LaunchAsync(TurnContext turn, TargetSelection selection, TagSelector tag, string accountId, Spoken? prefix)
    {
        var lang = turn.Lang;
        // When AWS has been so slow that the scan could not be confirmed in this turn, start nothing and say so:
        // asking again is quicker, because the tags are cached now.
        if (!TurnBudget.CanStartAChange(turn))
        {
            turn.Log.Warn("scan.start.deferred", ("requestId", turn.RequestId), ("left", TurnBudget.Left(turn)));
            return Reply.Ask(Spoken.Join(prefix, lang.Say("scan.slow.notStarted", ("subject", TargetSpeech.Subject(lang, selection)))), lang.Say("scan.slow.notStarted.reprompt"))
                .Labelled("scan-deferred");
        }
        var name = ScanNames.For(tag, turn.Now);
        var coverageTask = scanner.CoverageAsync(tag, turn.Cancellation);
        string configurationArn;
        try
        {
            configurationArn = await scanner.StartCisScanAsync(name, accountId, tag, securityLevel, turn.Cancellation).ConfigureAwait(false);
        }
        catch
        {
            _ = coverageTask.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
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
            var coverage = await coverageTask.ConfigureAwait(false);
            coverageSpeech = ScanSpeech.Coverage(lang, selection.Instances, coverage, turn.Now);
            card.AddRange(selection.Instances.Select(i => ScanSpeech.CoverageLine(lang, i, coverage.FirstOrDefault(c => c.InstanceId == i.Id))));
        }
        catch (AwsCallException e)
        {
            // The scan has started; a coverage failure is reported, not allowed to hide that.
            turn.Log.Error("scan.coverage.failed", ("requestId", turn.RequestId), ("operation", e.Operation), ("failure", e.Failure.ToString()));
            coverageSpeech = ErrorSpeech.ForAws(lang, e);
        }

        var speech = Spoken.Join(prefix, lang.Say("scan.started", ("subject", TargetSpeech.Subject(lang, selection))), coverageSpeech, lang.Say("scan.askLater"));
        return Reply.Ask(speech, lang.Say("scan.reprompt")).WithCard(lang.Text("scan.card.title"), string.Join('\n', card)).Labelled("scan-started");
    }
}
