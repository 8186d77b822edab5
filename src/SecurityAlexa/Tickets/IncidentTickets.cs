using SecurityAlexa.Skill;

namespace SecurityAlexa.Tickets;

/// <summary>
/// Opens or updates the ticket for an action that has already been taken. A failure here is logged and said, and
/// never stops or hides the action: the ticket is a record of the work, not part of it.
/// </summary>
internal sealed class IncidentTickets(ITicketDesk desk, TicketScope? scope = null)
{
    /// <summary>The desk, for the ticket intents.</summary>
    public ITicketDesk Desk => desk;

    /// <summary>
    /// Tickets over the desk when TICKETS is not off and there is a desk; otherwise null. <paramref name="scope"/> is where the
    /// actions recorded through them are taken (null: the desk's own account and region).
    /// </summary>
    public static IncidentTickets? From(SkillConfig config, ITicketDesk? desk, TicketScope? scope = null) =>
        desk is not null && TicketsOptions.From(config).Enabled ? new IncidentTickets(desk, scope) : null;

    /// <summary>The draft in this scope: its instances' account and region, and a key of its own away from home.</summary>
    public TicketDraft InScope(TicketDraft draft) => scope is null || draft.Scope is not null ? draft
        : draft with { Scope = scope, DedupKey = scope.Away ? TicketDraft.Keys.Within(scope, draft.DedupKey) : draft.DedupKey };

    /// <summary>Records the draft (tickets may be null: off); never throws.</summary>
    public static async Task<TicketNote> RecordAsync(IncidentTickets? tickets, TicketDraft? draft, SkillLog log,
        CancellationToken cancellationToken)
    {
        if (tickets is null || draft is null) return TicketNote.None;
        draft = tickets.InScope(draft);
        try
        {
            var ticket = await tickets.Desk.OpenOrUpdateAsync(draft, cancellationToken).ConfigureAwait(false);
            log.Info("ticket.recorded", ("requestId", draft.RequestId), ("opsItem", ticket.Id), ("created", ticket.Created),
                ("dedup", draft.DedupKey));
            return new TicketNote(ticket.Id, ticket.Created, false) { Away = draft.Scope?.Away == true };
        }
        catch (Exception e)
        {
            // The action is done by now; whatever went wrong with its ticket is said, never thrown.
            log.Warn("ticket.failed", ("requestId", draft.RequestId), ("dedup", draft.DedupKey), ("error", e.GetType().Name),
                ("message", e.Message));
            return TicketNote.Failure;
        }
    }

    /// <summary>Records the draft for a turn, and notes the ticket in the turn's audit record.</summary>
    public static async Task<TicketNote> RecordAsync(IncidentTickets? tickets, TurnContext turn, TicketDraft? draft)
    {
        var note = await RecordAsync(tickets, draft, turn.Log, turn.Cancellation).ConfigureAwait(false);
        if (note.Id is not null) turn.Audit.Note("ticket", note.Id);
        else if (note.Failed) turn.Audit.Note("ticket", "failed");
        return note;
    }
}
