using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The ticket of an isolation or a release: the incident's key is its instances, so a release (or "open a ticket")
/// of the same instances updates the OpsItem the isolation opened. The original groups go in the operational data.
/// </summary>
internal static class IsolationTickets
{
    /// <summary>The draft for an isolation that changed or found something; null when no instance was reached.</summary>
    public static TicketDraft? Isolated(Lang lang, IsolationReport report, string requestId, string how, string reason)
    {
        var reached = report.Instances.Where(i => i.Subject is not null).ToList();
        if (reached.Count == 0) return null;
        var names = reached.Select(i => i.DisplayName).ToList();
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["originalGroups"] = string.Join("; ", reached.SelectMany(i => i.Interfaces.Select(n =>
                i.InstanceId + "/" + n.InterfaceId + "=" + string.Join(",", n.OriginalGroups)))),
            ["outcomes"] = string.Join(" ", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)),
            ["how"] = how,
            ["reason"] = reason,
        };
        if (reached.SelectMany(i => i.SnapshotIds).ToList() is { Count: > 0 } snapshots) data["snapshots"] = string.Join(",", snapshots);
        return new TicketDraft
        {
            DedupKey = TicketDraft.Keys.Incident(reached.Select(i => i.InstanceId)),
            Title = lang.Text("ticket.title.isolation", ("names", string.Join(", ", names.Take(5)))),
            Description = lang.Text("ticket.description.isolation", ("names", string.Join(", ", names)), ("how", how), ("reason", reason)),
            Severity = 1,
            InstanceIds = reached.Select(i => i.InstanceId).ToList(),
            RequestId = requestId,
            Data = data,
        };
    }

    /// <summary>The draft for a release; null when no instance was reached.</summary>
    public static TicketDraft? Released(Lang lang, ReleaseReport report, string requestId, string how)
    {
        var reached = report.Instances.Where(i => i.Subject is not null).ToList();
        if (reached.Count == 0) return null;
        var names = reached.Select(i => i.DisplayName).ToList();
        return new TicketDraft
        {
            DedupKey = TicketDraft.Keys.Incident(reached.Select(i => i.InstanceId)),
            Title = lang.Text("ticket.title.release", ("names", string.Join(", ", names.Take(5)))),
            Description = lang.Text("ticket.description.release", ("names", string.Join(", ", names)), ("how", how)),
            Severity = 2,
            InstanceIds = reached.Select(i => i.InstanceId).ToList(),
            RequestId = requestId,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["releaseOutcomes"] = string.Join(" ", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)),
                ["releasedHow"] = how,
            },
        };
    }
}
