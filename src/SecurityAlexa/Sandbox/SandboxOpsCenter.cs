using System.Globalization;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Sandbox;

/// <summary>OpsCenter in the sandbox: OpsItems in memory, one per open de-duplication key, as OpsCenter keeps them.</summary>
internal sealed class SandboxOpsCenter : ITicketDesk
{
    private readonly List<SandboxOpsItem> _items = [];
    private readonly Lock _gate = new();

    /// <summary>Every OpsItem, for tests and the chat.</summary>
    public IReadOnlyList<SandboxOpsItem> Items
    {
        get
        {
            lock (_gate) return _items.ToList();
        }
    }

    /// <inheritdoc />
    public Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // OpsCenter matches de-duplication strings ignoring case.
            var open = _items.FirstOrDefault(i => string.Equals(i.DedupKey, draft.DedupKey, StringComparison.OrdinalIgnoreCase)
                && i.Status == "Open");
            if (open is not null)
            {
                open.Updates.Add(draft);
                // A more severe action raises the severity and gives its title; a milder one lowers neither.
                if (draft.Severity < open.Severity) (open.Severity, open.Title) = (draft.Severity, draft.Title);
                return Task.FromResult(new TicketRef(open.Id, false));
            }
            var id = "oi-" + (0x5a1000000000L + _items.Count + 1).ToString("x12", CultureInfo.InvariantCulture);
            _items.Add(new SandboxOpsItem(id, draft.DedupKey, draft.Title, draft.Severity, DateTimeOffset.UtcNow) { Updates = { draft } });
            return Task.FromResult(new TicketRef(id, true));
        }
    }

    /// <inheritdoc />
    public Task<OpenTickets> ListOpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new OpenTickets(_items.Where(i => i.Status == "Open")
                .OrderByDescending(i => i.Id, StringComparer.Ordinal)
                .Select(i => new OpenTicket(i.Id, i.Title, i.Severity.ToString(CultureInfo.InvariantCulture), i.Created)).ToList(), false));
        }
    }
}

/// <summary>One sandbox OpsItem with every draft recorded to it.</summary>
internal sealed record SandboxOpsItem(string Id, string DedupKey, string Title, int Severity, DateTimeOffset Created)
{
    /// <summary>The title: the most severe action's.</summary>
    public string Title { get; set; } = Title;

    /// <summary>1 (critical) to 4 (low): the most severe action's.</summary>
    public int Severity { get; set; } = Severity;

    /// <summary>Open or Resolved.</summary>
    public string Status { get; set; } = "Open";

    /// <summary>The drafts recorded, the first one opened it.</summary>
    public List<TicketDraft> Updates { get; } = [];
}
