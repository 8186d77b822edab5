using System.Text;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// "Which instances are isolated?": every instance with the marker and since when. Why goes on the card only:
/// a reason is free text someone typed or said ("crypto mining on the payroll box"), not for a room to hear.
/// </summary>
internal sealed class IsolationStatusHandler(InstanceIsolator isolator) : IntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["IsolationStatusIntent"];

    // Groups spoken before the rest is left to the card.
    private const int MaxGroups = 4;

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

        // READ_ACCESS=speakers: a voice that may not change anything hears how many, not which or why.
        if (!ReadAccessCheck.MayHearNames(turn))
        {
            var counted = isolated.Count == 1 ? lang.Say("status.countOnlyOne")
                : lang.Say("status.countOnly", ("count", lang.Count(isolated.Count, "isolate.instance")));
            return Reply.Ask(Spoken.Join(counted, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse"))
                .WithCard(lang.Text("isolate.card.title"), counted.Text).Labelled("listed-counts");
        }

        // Instances isolated together (at the same time) are named together, not one "since ..." each.
        var groups = isolated.GroupBy(s => (Ago: AgoOf(turn, s), Complete: IsComplete(s))).ToList();
        var count = lang.Count(isolated.Count, "isolate.instance");
        Spoken Group(int i)
            => Entry(lang, lang.ListSome(groups[i].Select(s => s.DisplayName).ToList(), 5), groups[i].Key.Ago, groups[i].Key.Complete);
        var speech = isolated.Count == 1 ? lang.Say("status.one", ("entry", Group(0)))
            : groups.Count == 1 ? lang.Say("status.many", ("count", count), ("entries", Group(0)))
            : Spoken.Join(
                lang.Say("status.manyGroups", ("count", count)),
                Spoken.Join(Enumerable.Range(0, Math.Min(groups.Count, MaxGroups))
                    .Select(i => lang.Say("status.group", ("entry", Group(i))))),
                groups.Count > MaxGroups
                    ? lang.Say("status.moreOnCard", ("count", lang.Count(groups.Skip(MaxGroups).Sum(g => g.Count()), "isolate.instance")))
                    : null);
        if (isolated.Any(s => ReasonOf(s) is not null)) speech = Spoken.Join(speech, lang.Say("status.reasonsOnCard"));

        var card = new StringBuilder();
        foreach (var s in isolated)
        {
            card.AppendLine(lang.Text("status.card.line", ("name", s.DisplayName), ("id", s.InstanceId),
                ("at", s.IsolatedAt is { } at ? IsolationRecord.FormatTime(at) : "?"), ("by", s.IsolatedBy ?? "?"),
                    ("reason", string.IsNullOrWhiteSpace(s.Reason) ? lang.Text("isolate.noReason") : s.Reason),
                ("partial", IsComplete(s) ? "" : lang.Text("status.card.partial"))));
        }
        // One isolated instance is what "release it" will mean.
        if (isolated.Count == 1)
            turn.State.Focus = new TargetMemory { Description = isolated[0].DisplayName, InstanceIds = [isolated[0].InstanceId],
                Names = [isolated[0].DisplayName] };
        return Screen.Show(turn, Reply.Ask(Spoken.Join(speech, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse")),
            IsolationScreens.Document,
                () => IsolationScreens.StatusData(lang, isolated, IsComplete, turn.Now, speech.Text))
            .WithCard(lang.Text("isolate.card.title"), card.ToString().TrimEnd())
            .Labelled("listed");
    }

    private static Spoken Entry(Lang lang, string names, string ago, bool complete) => complete
        ? lang.Say("status.entryNoReason", ("name", names), ("ago", ago))
        : lang.Say("status.entryPartialNoReason", ("name", names), ("ago", ago));

    private static string AgoOf(TurnContext turn, IsolationSubject s) =>
        s.IsolatedAt is { } at ? turn.Lang.Ago(at, turn.Now) : turn.Lang.Template("time.justNow");

    private static string? ReasonOf(IsolationSubject s) => string.IsNullOrWhiteSpace(s.Reason) ? null : s.Reason.Trim();

    // DescribeInstances shows group names but not interface tags: judge by the isolation group's name.
    private static bool IsComplete(IsolationSubject s) =>
        s.Interfaces.Count > 0 && s.Interfaces.All(i => InstanceIsolator.InIsolationGroupByName(i, s.VpcId));
}
