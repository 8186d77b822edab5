using System.Text;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>"Which instances are isolated?": every instance with the marker, when and why.</summary>
public sealed class IsolationStatusHandler(InstanceIsolator isolator) : IntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["IsolationStatusIntent"];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var isolated = await isolator.ListIsolatedAsync(turn.Cancellation).ConfigureAwait(false);
        if (isolated.Count == 0)
        {
            // In a conversation (after a release, say) keep listening; a one-shot question ends with its answer.
            return (turn.Envelope.Session is { New: false }
                ? Reply.Ask(Spoken.Join(lang.Say("status.none"), lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse"))
                : Reply.Tell(lang.Say("status.none"))).Labelled("none-isolated");
        }

        var entries = isolated.Select(s => Entry(turn, s).Text).ToList();
        var speech = isolated.Count == 1
            ? lang.Say("status.one", ("entry", Entry(turn, isolated[0])))
            : lang.Say("status.many", ("count", lang.Count(isolated.Count, "isolate.instance")), ("entries", lang.ListSome(entries, 5)));

        var card = new StringBuilder();
        foreach (var s in isolated)
        {
            card.AppendLine(lang.Text("status.card.line", ("name", s.DisplayName), ("id", s.InstanceId),
                ("at", s.IsolatedAt is { } at ? IsolationRecord.FormatTime(at) : "?"), ("by", s.IsolatedBy ?? "?"), ("reason", string.IsNullOrWhiteSpace(s.Reason) ? lang.Text("isolate.noReason") : s.Reason),
                ("partial", IsComplete(s) ? "" : lang.Text("status.card.partial"))));
        }
        // One isolated instance is what "release it" will mean.
        if (isolated.Count == 1)
            turn.State.Focus = new TargetMemory { Description = isolated[0].DisplayName, InstanceIds = [isolated[0].InstanceId], Names = [isolated[0].DisplayName] };
        return Reply.Ask(Spoken.Join(speech, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse"))
            .WithCard(lang.Text("isolate.card.title"), card.ToString().TrimEnd())
            .Labelled("listed");
    }

    private static Spoken Entry(TurnContext turn, IsolationSubject s)
    {
        var lang = turn.Lang;
        var ago = s.IsolatedAt is { } at ? lang.Ago(at, turn.Now) : lang.Template("time.justNow");
        var reason = string.IsNullOrWhiteSpace(s.Reason) ? null : s.Reason;
        if (!IsComplete(s))
        {
            return reason is null
                ? lang.Say("status.entryPartialNoReason", ("name", s.DisplayName), ("ago", ago))
                : lang.Say("status.entryPartial", ("name", s.DisplayName), ("ago", ago), ("reason", reason));
        }
        return reason is null
            ? lang.Say("status.entryNoReason", ("name", s.DisplayName), ("ago", ago))
            : lang.Say("status.entry", ("name", s.DisplayName), ("ago", ago), ("reason", reason));
    }

    // DescribeInstances shows group names but not interface tags: judge by the isolation group's name.
    private static bool IsComplete(IsolationSubject s) =>
        s.Interfaces.Count > 0 && s.Interfaces.All(i => InstanceIsolator.InIsolationGroupByName(i, s.VpcId));
}
