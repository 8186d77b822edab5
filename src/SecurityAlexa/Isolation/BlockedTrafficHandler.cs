using System.Text;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// "How much traffic was blocked for web-1?": a Logs Insights count of REJECT records in the VPC's
/// flow logs for the instance's interfaces since it was isolated. A query that does not finish within
/// the turn is remembered, and the next question is answered from it. New queries are limited per account
/// and minute (<see cref="FlowLogQueryLimit"/>); answering from a remembered query costs nothing and is not counted.
/// </summary>
internal sealed class BlockedTrafficHandler(ITargetResolver targets, IIsolationAccount account, IFlowLogs flowLogs,
    IsolationOptions options, IsolationLedger ledger, FlowLogQueryLimit limit) : IntentHandler
{
    // The longest window a count covers, whatever the record says (a Logs Insights scan costs by the data it reads).
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    // Kept back from the turn's deadline for the answer itself.

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["BlockedTrafficIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.InstanceNameSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var earlier = turn.State.Isolation?.BlockedQuery;

        // Nothing named and a query waiting: this is the "ask me again" turn.
        if (earlier is not null && !turn.Slot(TargetSpeech.InstanceNameSlot).HasValue)
            return await AwaitAsync(turn, earlier, started: false).ConfigureAwait(false);

        var resolved = await IsolationTargets.ResolveAsync(turn, targets, "traffic.which").ConfigureAwait(false);
        if (resolved.Reply is { } ask) return ask;
        if (resolved.Instances is not [var instance])
            return Reply.ElicitSlot(lang.Say("traffic.which"), lang.Say("traffic.which.reprompt"), TargetSpeech.InstanceNameSlot,
                turn.Intent ?? new Alexa.Intent { Name = turn.IntentName }).Labelled("elicit-instance");
        IsolationTargets.Focus(turn, [instance], resolved.Selection);
        if (earlier is not null && earlier.InstanceId == instance.Id)
            return await AwaitAsync(turn, earlier, started: false).ConfigureAwait(false);

        // The window starts when the table's record says the instance was isolated: a tag can say anything.
        var reading = ledger.ReadAsync(instance.Id, turn.Now, turn.Cancellation);
        IReadOnlyList<IsolationSubject> described;
        try
        {
            described = await account.DescribeAsync([instance.Id], turn.Cancellation).ConfigureAwait(false);
        }
        finally
        {
            Observed.Forget(reading);
        }
        if (await reading.ConfigureAwait(false) is not { IsHeld: true } record)
        {
            return instance.Tags.ContainsKey(SkillTags.IsolatedAt)
                ? Done(turn, lang.Say("traffic.foreignMarker", ("name", instance.DisplayName)), "foreign-marker")
                : Done(turn, lang.Say("traffic.notIsolated", ("name", instance.DisplayName)), "not-isolated");
        }
        var since = record.IsolatedAt < turn.Now - MaxWindow ? turn.Now - MaxWindow : record.IsolatedAt;

        var (interfaces, resources) = FlowLogScope.Of(described, instance.VpcId);
        // A flow log that records only accepted traffic has no REJECT records to count.
        var groups = interfaces.Count == 0 ? [] : (await flowLogs.FindAsync(resources, turn.Cancellation).ConfigureAwait(false))
            .Where(f => f.TrafficType is "ALL" or "REJECT").Select(f => f.LogGroupName).Distinct(StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
            return Done(turn, lang.Say("traffic.noFlowLogs", ("name", instance.DisplayName)), "no-flow-logs");

        if (!await limit.TryTakeAsync(turn).ConfigureAwait(false))
        {
            turn.Log.Security("traffic.query-limited", ("requestId", turn.RequestId), ("userHash", turn.UserHash),
                ("limit", limit.PerMinute));
            return Done(turn, lang.Say("traffic.limited", ("limit", limit.PerMinute)), "query-limited");
        }
        var queryId = await flowLogs.StartRejectCountAsync(groups, interfaces, since, turn.Now, turn.Cancellation).ConfigureAwait(false);
        turn.Log.Info("traffic.query", ("requestId", turn.RequestId), ("instance", instance.Id), ("queryId", queryId),
            ("logGroups", groups));
        var query = new BlockedTrafficQuery { InstanceId = instance.Id, Name = instance.DisplayName, QueryId = queryId, Since = since };
        return await AwaitAsync(turn, query, started: true).ConfigureAwait(false);
    }

    // Polls until the query is done or the turn's wait is used up; then answers, or remembers it.
    private async Task<Reply> AwaitAsync(TurnContext turn, BlockedTrafficQuery query, bool started)
    {
        var lang = turn.Lang;
        var latest = TurnBudget.FinishBy(turn, TurnReserves.Default.AnswerAfterWait);
        var waitUntil = turn.Time.GetUtcNow() + options.FlowLogWait;
        if (waitUntil > latest) waitUntil = latest;

        FlowLogCount count;
        while (true)
        {
            count = await flowLogs.GetRejectCountAsync(query.QueryId, turn.Cancellation).ConfigureAwait(false);
            if (count.State != FlowLogQueryState.Running || turn.Time.GetUtcNow() + options.FlowLogPoll > waitUntil) break;
            await Task.Delay(options.FlowLogPoll, turn.Time, turn.Cancellation).ConfigureAwait(false);
        }

        switch (count.State)
        {
            case FlowLogQueryState.Complete:
                turn.State.Isolation = turn.State.Isolation?.WithoutQuery();
                var said = lang.Say("traffic.result", ("name", query.Name), ("ago", lang.Ago(query.Since, turn.Now)),
                    ("count", lang.Count((int)Math.Min(count.Rejected, int.MaxValue), "isolate.blocked")));
                var card = new StringBuilder()
                    .AppendLine(lang.Text("traffic.card.result", ("name", query.Name), ("id", query.InstanceId),
                        ("count", count.Rejected), ("since", IsolationRecord.FormatTime(query.Since))))
                    .AppendLine(lang.Text("traffic.card.delay"))
                    .ToString().TrimEnd();
                return Done(turn, said, "counted").WithCard(lang.Text("traffic.card.title"), card);
            case FlowLogQueryState.Failed:
                turn.State.Isolation = turn.State.Isolation?.WithoutQuery();
                return Done(turn, lang.Say("traffic.failed", ("name", query.Name)), "query-failed");
            default:
                turn.State.Isolation = (turn.State.Isolation ?? new IsolationMemory()) with { BlockedQuery = query };
                turn.Log.Info("traffic.pending", ("requestId", turn.RequestId), ("queryId", query.QueryId), ("started", started));
                return Reply.Ask(lang.Say("traffic.running", ("name", query.Name)), lang.Say("traffic.running.reprompt"))
                    .Labelled("query-running");
        }
    }

    private static Reply Done(TurnContext turn, Spoken speech, string outcome) =>
        Reply.Ask(Spoken.Join(speech, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse")).Labelled(outcome);
}
