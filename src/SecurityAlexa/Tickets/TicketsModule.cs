using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tickets;

/// <summary>"Open a ticket for web-1" and "what tickets are open?"; nothing when TICKETS=off or there is no desk.</summary>
internal sealed class TicketsModule : SkillModule
{
    /// <summary>The module over the tickets (null: off) and the target resolver.</summary>
    public TicketsModule(IncidentTickets? tickets, ITargetResolver? targets)
    {
        if (tickets is null) return;
        Handlers = targets is null ? [new OpenTicketsHandler(tickets)]
            : [new OpenTicketHandler(targets, tickets), new OpenTicketsHandler(tickets)];
    }

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = [];

    /// <inheritdoc />
    public override string SpeechFolder => "Tickets";
}
