using SecurityAlexa.AwsContract;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// GuardDutyFindingsIntent: "what did GuardDuty find?", "any new high severity findings?", "what's happening on web-1?".
/// Open findings of the last 24 hours (or of the window said: "in the last 6 hours", "since Monday") counted by severity
/// (one GetFindingsStatistics call), and the most severe few in plain words with the instance by name (one ListFindings page
/// and one GetFindings). The most severe finding about an instance is remembered for "isolate the instance from that finding".
/// Reads only. As one of several scopes answering together (<see cref="TurnScope.Brief"/>) it says only the counts and the
/// most severe finding.
/// </summary>
/// <param name="targets">Resolves "on web-1" to instances.</param>
/// <param name="detector">GuardDuty in this turn's account and region.</param>
/// <param name="accountName">The spoken name of a finding's account for the card; null when only one account is configured.</param>
internal sealed class ThreatFindingsHandler(ITargetResolver targets, IThreatDetector detector, Func<string, string?>? accountName = null)
    : IntentHandler
{
    /// <summary>The severity slot.</summary>
    public const string SeveritySlot = "Severity";

    /// <summary>The AMAZON.DURATION slot: "in the last {Within}".</summary>
    public const string WithinSlot = "Within";

    /// <summary>The AMAZON.DATE slot: "since {Since}".</summary>
    public const string SinceSlot = "Since";

    // Findings spoken, and the most put on the card.
    internal const int SpokenFindings = 3;
    internal const int OnCard = 10;

    /// <summary>The most instances one question asks GuardDuty about (the instance-id criterion's limit); more are said.</summary>
    internal const int MaxInstancesAsked = 50;

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["GuardDutyFindingsIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.InstanceNameSlot, SeveritySlot, WithinSlot, SinceSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var ct = turn.Cancellation;
        // A time that cannot be looked back from is answered before anything is asked of AWS.
        var window = FindingWindow.Of(turn.Slot(WithinSlot).Value, turn.Slot(SinceSlot).Value, turn.Now);
        if (!window.Usable) return WindowRefused(turn, window);
        var progress = turn.Progress.SayAsync(lang.Text("guardduty.progress.findings"), ct);
        try
        {
            // "What's happening on web-1?": the findings of that instance only.
            IReadOnlyList<InstanceInfo>? about = null;
            if (turn.Slot(TargetSpeech.InstanceNameSlot).HasValue)
            {
                var result = await targets.ResolveAsync(TargetSpeech.Query(turn, includeStopped: true), ct).ConfigureAwait(false);
                if (result is not TargetResult.Found found) return TargetSpeech.ReplyFor(turn, result);
                about = found.Selection.Instances;
            }

            var detectorId = await detector.DetectorIdAsync(ct).ConfigureAwait(false);
            if (detectorId is null && turn.Scope?.Brief == true)
                return Reply.Ask(lang.Say("guardduty.noDetector.brief"), lang.Say("guardduty.anythingElse")).Labelled("no-detector");
            if (detectorId is null)
                return Reply.Ask(Spoken.Join(lang.Say("guardduty.noDetector"), lang.Say("guardduty.anythingElse")),
                    lang.Say("guardduty.anythingElse")).Labelled("no-detector");

            var severity = turn.Slot(SeveritySlot);
            var level = severity.ResolvedId ?? severity.Value;
            var query = new ThreatQuery(window.Since, ThreatSeverity.FloorOf(level),
                about?.Select(i => i.Id).Take(MaxInstancesAsked).ToList());
            var countsTask = detector.CountAsync(detectorId, query, ct);
            var worstTask = detector.MostSevereAsync(detectorId, query, OnCard, ct);
            ThreatCounts counts;
            try
            {
                counts = await countsTask.ConfigureAwait(false);
            }
            catch
            {
                Observed.Forget(worstTask);
                throw;
            }
            // The counts are the answer; the findings themselves are detail, left out when AWS is too slow for the turn.
            var worst = await TurnBudget.WithinTurnAsync(turn, DetailAsync(turn, worstTask), null, "guardduty.most-severe")
                .ConfigureAwait(false);
            return Answer(turn, window, counts, worst, about, level);
        }
        finally
        {
            await progress.ConfigureAwait(false);
        }
    }

    private static Reply WindowRefused(TurnContext turn, FindingWindow window)
    {
        var lang = turn.Lang;
        var said = window.Kind == WindowKind.Future
            ? lang.Say("guardduty.window.future", ("date", FindingWindow.DateWords(lang, window.Since)))
            : lang.Say("guardduty.window.unreadable");
        return Reply.Ask(said, lang.Say("guardduty.window.reprompt"))
            .Labelled(window.Kind == WindowKind.Future ? "window-future" : "window-unreadable");
    }

    private Reply Answer(TurnContext turn, FindingWindow window, ThreatCounts counts, IReadOnlyList<ThreatFinding>? worst,
        IReadOnlyList<InstanceInfo>? about, string? level)
    {
        var lang = turn.Lang;
        var where = about is null ? null : lang.ListSome(about.Select(i => i.DisplayName).ToList(), 3);
        var levelWords = ThreatSeverity.FloorOf(level) > 0 ? lang.Text("guardduty.level." + ThreatSeverity.LevelOf(
            ThreatSeverity.FloorOf(level))) : null;
        var anythingElse = lang.Say("guardduty.anythingElse");
        var windowWords = window.Words(lang);
        var brief = turn.Scope?.Brief == true;
        // More instances than one question covers: only the first ones were asked about, and the answer says so.
        var cut = about is { Count: > MaxInstancesAsked }
            ? lang.Say("guardduty.firstOnly", ("count", lang.Count(about.Count, "isolate.instance")), ("max", MaxInstancesAsked))
            : null;
        if (counts.Total == 0)
        {
            var none = (where, levelWords) switch
            {
                (null, null) => lang.Say("guardduty.none", ("window", windowWords)),
                (null, _) => lang.Say("guardduty.none.level", ("level", levelWords), ("window", windowWords)),
                (_, null) => lang.Say("guardduty.none.on", ("where", where), ("window", windowWords)),
                _ => lang.Say("guardduty.none.levelOn", ("level", levelWords), ("where", where), ("window", windowWords)),
            };
            return Reply.Ask(brief ? Spoken.Join(none, cut) : Spoken.Join(none, cut, anythingElse), anythingElse).Labelled("no-findings");
        }

        var parts = new List<Spoken>
        {
            lang.Say(where is null ? "guardduty.counts" : "guardduty.counts.on", ("total", lang.Count(counts.Total, "guardduty.finding")),
                ("where", where ?? ""), ("levels", Levels(lang, counts)), ("window", Capitalised(windowWords))),
        };
        var card = new List<string>
        {
            lang.Text("guardduty.card.counts", ("since", window.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm",
                System.Globalization.CultureInfo.InvariantCulture)), ("critical", counts.Critical), ("high", counts.High),
                ("medium", counts.Medium), ("low", counts.Low)),
        };
        if (cut is not null)
        {
            parts.Add(cut);
            card[0] += "\n" + lang.Text("guardduty.card.firstOnly", ("count", about!.Count), ("max", MaxInstancesAsked));
        }
        if (!ReadAccessCheck.MayHearNames(turn))
        {
            // READ_ACCESS=speakers: a voice that may not change anything hears the counts, never which instance (nor is one
            // remembered for "that finding").
            parts.Add(lang.Say("guardduty.namesWithheld"));
            if (!brief) parts.Add(anythingElse);
            return Reply.Ask(Spoken.Join(parts), anythingElse).WithCard(lang.Text("guardduty.card.title"), card[0])
                .Labelled("findings-counts-only");
        }
        // The counts and the findings come from two calls: the findings can be late, or (archived in between) none at all.
        if (worst is not { Count: > 0 })
        {
            parts.Add(lang.Say(worst is null ? "guardduty.detailsLate" : "guardduty.detailsGone"));
        }
        else if (brief)
        {
            // One of several scopes: the most severe finding only, nothing remembered and no offer to act (a change needs one scope).
            parts.Add(lang.Say("guardduty.mostSevere.brief"));
            parts.Add(Said(lang, worst[0]));
            return Reply.Ask(Spoken.Join(parts), anythingElse).Labelled("findings-brief");
        }
        else
        {
            var said = worst.Take(SpokenFindings).Select(f => Said(lang, f)).ToList();
            parts.Add(lang.Say(worst.Count == 1 ? "guardduty.mostSevere.one" : "guardduty.mostSevere.many"));
            parts.AddRange(said);
            card.AddRange(worst.Take(OnCard).Select(f => CardLine(lang, f)));
            if (counts.Total > worst.Count) card.Add(lang.Text("guardduty.card.more", ("count", counts.Total - worst.Count)));

            // "That finding" is the most severe one about an instance; the isolation path resolves it again from EC2.
            var flagged = worst.FirstOrDefault(f => f.InstanceId is not null);
            var memory = turn.State.GuardDuty ?? new GuardDutyMemory();
            // Where it was read is remembered with it: "that finding" after a switch of account is still this one, here.
            turn.State.GuardDuty = flagged is null
                ? memory with { FindingId = null, FindingType = null, InstanceId = null, ScopeKey = null, ScopeAccount = null }
                : memory with
                {
                    FindingId = flagged.Id, FindingType = flagged.Type, InstanceId = flagged.InstanceId, ScopeKey = turn.Scope?.Key,
                    ScopeAccount = turn.Scope?.Account,
                };
            if (flagged is not null)
            {
                turn.State.Focus = new TargetMemory
                {
                    Description = NameOf(flagged),
                    InstanceIds = [flagged.InstanceId!],
                    Names = [NameOf(flagged)],
                };
                parts.Add(lang.Say("guardduty.offerIsolate", ("name", NameOf(flagged))));
            }
        }
        parts.Add(anythingElse);
        return Reply.Ask(Spoken.Join(parts), anythingElse)
            .WithCard(lang.Text("guardduty.card.title"), string.Join("\n", card))
            .Labelled(worst is null ? "findings-counts-only" : "findings");
    }

    private static Spoken Said(Lang lang, ThreatFinding f) => f.InstanceId is null
        ? lang.Say("guardduty.finding.account", ("what", FindingWords.Say(lang, f.Type)),
            ("level", lang.Text("guardduty.level." + ThreatSeverity.LevelOf(f.Severity))))
        : lang.Say("guardduty.finding.instance", ("what", FindingWords.Say(lang, f.Type)), ("name", NameOf(f)),
            ("level", lang.Text("guardduty.level." + ThreatSeverity.LevelOf(f.Severity))));

    // With member accounts configured, each finding on the card names its account, so web-1 in payments is not read as home's.
    private string CardLine(Lang lang, ThreatFinding f)
    {
        var account = accountName is not null && f.AccountId is not null ? accountName(f.AccountId) ?? f.AccountId : null;
        var level = ThreatSeverity.LevelOf(f.Severity).ToUpperInvariant();
        var severity = f.Severity.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        var resource = f.InstanceId is null ? "-" : FullNameOf(f) + " (" + f.InstanceId + ")";
        return account is null
            ? lang.Text("guardduty.card.finding", ("level", level), ("severity", severity), ("type", f.Type), ("id", f.Id),
                ("resource", resource))
            : lang.Text("guardduty.card.finding.account", ("level", level), ("severity", severity), ("type", f.Type), ("id", f.Id),
                ("resource", resource), ("account", account));
    }

    // The findings themselves are detail: if AWS fails them after the counts came back, the counts are still said.
    private static async Task<IReadOnlyList<ThreatFinding>?> DetailAsync(TurnContext turn, Task<IReadOnlyList<ThreatFinding>> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            turn.Log.Warn("guardduty.most-severe-failed", ("requestId", turn.RequestId), ("operation", e.Operation),
                ("failure", e.Failure.ToString()));
            return null;
        }
    }

    // The window opens the sentence in English ("In the last 6 hours, ..."); letters without case are unchanged.
    private static string Capitalised(string words) =>
        words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];

    // GuardDuty's recorded Name tag, clipped like any outside name said aloud; the card keeps it whole.
    private static string NameOf(ThreatFinding f) => Lang.Clip(FullNameOf(f), Lang.MaxSpokenName);

    private static string FullNameOf(ThreatFinding f) => string.IsNullOrWhiteSpace(f.InstanceName) ? f.InstanceId ?? "" : f.InstanceName!;

    private static string Levels(Lang lang, ThreatCounts counts)
    {
        var levels = new List<string>();
        if (counts.Critical > 0) levels.Add(lang.Text("guardduty.count.critical", ("n", counts.Critical)));
        if (counts.High > 0) levels.Add(lang.Text("guardduty.count.high", ("n", counts.High)));
        if (counts.Medium > 0) levels.Add(lang.Text("guardduty.count.medium", ("n", counts.Medium)));
        if (counts.Low > 0) levels.Add(lang.Text("guardduty.count.low", ("n", counts.Low)));
        return lang.List(levels);
    }
}
