namespace SecurityAlexa.Tickets;

/// <summary>
/// Where incidents are ticketed (AWS Systems Manager OpsCenter): one ticket per de-duplication key, opened the first
/// time and updated after; and the skill's tickets still open.
/// </summary>
internal interface ITicketDesk
{
    /// <summary>Opens the ticket for the draft's key, or updates the one still open for it.</summary>
    Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken);

    /// <summary>The skill's tickets that are open or in progress, newest first (a bounded number of pages).</summary>
    Task<OpenTickets> ListOpenAsync(CancellationToken cancellationToken);
}

/// <summary>A ticket opened or updated.</summary>
internal sealed record TicketRef(string Id, bool Created);

/// <summary>The open tickets read; <paramref name="More"/> when there were more than the pages read.</summary>
internal sealed record OpenTickets(IReadOnlyList<OpenTicket> Items, bool More);

/// <summary>One open ticket, as "what tickets are open" reads it.</summary>
internal sealed record OpenTicket(string Id, string Title, string? Severity, DateTimeOffset? Created);
