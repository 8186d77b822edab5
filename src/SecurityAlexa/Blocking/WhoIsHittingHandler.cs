using System.Text;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Blocking;

/// <summary>
/// "Who is hitting web-1?": the busiest source addresses in the instance's flow logs over the last hour, accepted and
/// rejected, isolated or not. Reads only. A query that does not finish within the turn is answered next time.
/// </summary>
internal sealed class WhoIsHittingHandler(ITargetResolver targets, IIsolationAccount account, IFlowLogs flowLogs,
    ITrafficSources sources, BlockingOptions options, TimeSpan wait, TimeSpan poll) : IntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["WhoIsHittingIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.InstanceNameSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var earlier = turn.State.Blocking;
        if (earlier?.QueryId is not null && !turn.Slot(TargetSpeech.InstanceNameSlot).HasValue)
            return await AwaitAsync(turn, earlier).ConfigureAwait(false);

        var resolved = await IsolationTargets.ResolveAsync(turn, targets, "hitting.which").ConfigureAwait(false);
        if (resolved.Reply is { } ask) return ask;
        if (resolved.Instances is not [var instance])
            return Reply.ElicitSlot(lang.Say("hitting.which"), lang.Say("hitting.which.reprompt"), TargetSpeech.InstanceNameSlot,
                turn.Intent ?? new Alexa.Intent { Name = turn.IntentName }).Labelled("elicit-instance");
        IsolationTargets.Focus(turn, [instance], resolved.Selection);
        if (earlier?.QueryId is not null && earlier.InstanceId == instance.Id)
            return await AwaitAsync(turn, earlier).ConfigureAwait(false);

        var described = await account.DescribeAsync([instance.Id], turn.Cancellation).ConfigureAwait(false);
        var (interfaces, resources) = FlowLogScope.Of(described, instance.VpcId);
        var groups = interfaces.Count == 0 ? [] : (await flowLogs.FindAsync(resources, turn.Cancellation).ConfigureAwait(false))
            .Select(f => f.LogGroupName).Distinct(StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
        {
            turn.State.Blocking = new BlockingMemory { InstanceId = instance.Id, Name = instance.DisplayName };
            return Done(turn, lang.Say("hitting.noFlowLogs", ("name", instance.DisplayName)), "no-flow-logs");
        }

        var own = instance.PrivateIp is { } ip ? new[] { ip } : [];
        var queryId = await sources.StartTopSourcesAsync(groups, interfaces, own, turn.Now - options.Window, turn.Now, turn.Cancellation)
            .ConfigureAwait(false);
        turn.Log.Info("hitting.query", ("requestId", turn.RequestId), ("instance", instance.Id), ("queryId", queryId),
            ("logGroups", groups));
        return await AwaitAsync(turn, new BlockingMemory { InstanceId = instance.Id, Name = instance.DisplayName, QueryId = queryId })
            .ConfigureAwait(false);
    }

    private async Task<Reply> AwaitAsync(TurnContext turn, BlockingMemory memory)
    {
        var lang = turn.Lang;
        var latest = TurnBudget.FinishBy(turn, TurnReserves.Default.AnswerAfterWait);
        var waitUntil = turn.Time.GetUtcNow() + wait;
        if (waitUntil > latest) waitUntil = latest;

        TrafficSources result;
        while (true)
        {
            result = await sources.GetTopSourcesAsync(memory.QueryId!, turn.Cancellation).ConfigureAwait(false);
            if (result.State != FlowLogQueryState.Running || turn.Time.GetUtcNow() + poll > waitUntil) break;
            await Task.Delay(poll, turn.Time, turn.Cancellation).ConfigureAwait(false);
        }

        switch (result.State)
        {
            case FlowLogQueryState.Complete:
                var top = result.Sources.OrderByDescending(s => s.Total).ThenBy(s => s.Address, StringComparer.Ordinal).ToList();
                turn.State.Blocking = memory with { QueryId = null, Top = top.Take(options.SourcesSpoken).Select(s => s.Address).ToList() };
                if (top.Count == 0) return Done(turn, lang.Say("hitting.none", ("name", memory.Name)), "no-traffic");
                var spoken = top.Take(options.SourcesSpoken).Select(s => lang.Text("hitting.source", ("address", s.Address),
                    ("accepted", lang.Number(s.Accepted)), ("rejected", lang.Number(s.Rejected)))).ToList();
                var said = lang.Say("hitting.result", ("name", memory.Name), ("sources", lang.List(spoken)));
                var card = new StringBuilder()
                    .AppendLine(lang.Text("hitting.card.heading", ("name", memory.Name), ("id", memory.InstanceId)));
                foreach (var s in top.Take(10))
                    card.AppendLine(lang.Text("hitting.card.row", ("address", s.Address), ("accepted", s.Accepted),
                        ("rejected", s.Rejected)));
                card.AppendLine(lang.Text("traffic.card.delay"));
                return Reply.Ask(Spoken.Join(said, lang.Say("hitting.blockHint")), lang.Say("isolate.anythingElse"))
                    .WithCard(lang.Text("hitting.card.title"), card.ToString().TrimEnd()).Labelled("counted");
            case FlowLogQueryState.Failed:
                turn.State.Blocking = memory with { QueryId = null };
                return Done(turn, lang.Say("hitting.failed", ("name", memory.Name)), "query-failed");
            default:
                turn.State.Blocking = memory;
                return Reply.Ask(lang.Say("hitting.running", ("name", memory.Name)), lang.Say("hitting.running.reprompt"))
                    .Labelled("query-running");
        }
    }

    private static Reply Done(TurnContext turn, Spoken speech, string outcome) =>
        Reply.Ask(Spoken.Join(speech, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse")).Labelled(outcome);
}
