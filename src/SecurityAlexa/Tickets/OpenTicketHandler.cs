using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tickets;

/// <summary>
/// "Open a ticket for web-1": opens (or updates) the incident's OpsItem for the named instances, or the ones in focus.
/// It changes no instance: the ticket is the same one an isolation or a release of those instances records to.
/// </summary>
internal sealed class OpenTicketHandler(ITargetResolver targets, IncidentTickets tickets) : IntentHandler
{
    /// <summary>The most instances one ticket names.</summary>
    public const int MaxInstances = 50;

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["OpenTicketIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.InstanceNameSlot];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        // READ_ACCESS=speakers: the answer names instances and the ticket records the request, so a voice that may only hear
        // counts opens and updates nothing.
        if (!Security.ReadAccessCheck.MayHearNames(turn)) return Done(turn, lang.Say("ticket.voice.notAllowed"), "not-allowed");
        IReadOnlyList<InstanceInfo> instances;
        var query = TargetSpeech.Query(turn, includeStopped: true);
        if (!query.IsEmpty)
        {
            var result = await targets.ResolveAsync(query, turn.Cancellation).ConfigureAwait(false);
            if (result is not TargetResult.Found found) return TargetSpeech.ReplyFor(turn, result);
            instances = found.Selection.Instances;
        }
        else if (turn.State.Focus is { InstanceIds.Count: > 0 } focus)
            instances = await targets.DescribeAsync(focus.InstanceIds, turn.Cancellation).ConfigureAwait(false);
        else instances = [];
        if (instances.Count == 0)
            return Reply.ElicitSlot(lang.Say("ticket.which"), lang.Say("ticket.which.reprompt"), TargetSpeech.InstanceNameSlot,
                turn.Intent ?? new Alexa.Intent { Name = turn.IntentName }).Labelled("elicit-instance");
        if (instances.Count > MaxInstances)
            return Done(turn, lang.Say("ticket.tooMany", ("count", lang.Count(instances.Count, "isolate.instance")), ("max", MaxInstances)),
                "too-many");

        var names = instances.Select(i => i.DisplayName).ToList();
        var draft = new TicketDraft
        {
            DedupKey = TicketDraft.Keys.Incident(instances.Select(i => i.Id)),
            Title = lang.Text("ticket.title.voice", ("names", string.Join(", ", names.Take(5)))),
            Description = lang.Text("ticket.description.voice", ("names", string.Join(", ", names)), ("by", ChatName(turn))),
            Severity = 2,
            InstanceIds = instances.Select(i => i.Id).ToList(),
            RequestId = turn.RequestId,
            Data = new Dictionary<string, string> { ["requestedBy"] = ChatName(turn) },
        };
        var note = await IncidentTickets.RecordAsync(tickets, turn, draft).ConfigureAwait(false);
        if (note.Failed) return Done(turn, lang.Say("ticket.failed"), "ticket-failed");
        var said = lang.Say(note.Created ? "ticket.voice.opened" : "ticket.voice.updated", ("names", lang.ListSome(names, 5)));
        return Done(turn, said, note.Created ? "ticket-opened" : "ticket-updated")
            .WithCard(lang.Text("ticket.card.title"), note.AppendTo(lang.Text("ticket.card.instances",
                ("instances", string.Join(", ", instances.Select(i => i.DisplayName + " (" + i.Id + ")")))), lang) ?? "");
    }

    private static string ChatName(TurnContext turn) => Notifications.ChatPost.Speaker(turn);

    private static Reply Done(TurnContext turn, Spoken said, string outcome) =>
        Reply.Ask(Spoken.Join(said, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse")).Labelled(outcome);
}
