using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Scanning;

/// <summary>
/// The ticket of scan results with critical findings: one OpsItem per tag group while it is open, updated with the latest counts.
/// </summary>
internal static class ScanTickets
{
    /// <summary>The draft when the findings include critical ones; null otherwise.</summary>
    public static TicketDraft? Critical(Lang lang, string requestId, TagSelector tag, IReadOnlyList<InstanceFindings> findings)
    {
        var critical = findings.Sum(f => (long)f.Counts.Critical);
        if (critical == 0) return null;
        var high = findings.Sum(f => (long)f.Counts.High);
        var scope = tag.Key + "=" + tag.Value;
        var affected = findings.Where(f => f.Counts.Critical > 0).ToList();
        return new TicketDraft
        {
            DedupKey = TicketDraft.Keys.Findings(scope),
            Title = lang.Text("ticket.title.findings", ("scope", scope)),
            Description = lang.Text("ticket.description.findings", ("critical", critical), ("high", high), ("scope", scope)),
            Severity = 1,
            InstanceIds = affected.Take(50).Select(f => f.InstanceId).ToList(),
            RequestId = requestId,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["findingCounts"] = string.Join("; ", affected.Select(f => f.InstanceId + ": critical " + f.Counts.Critical + ", high "
                    + f.Counts.High + ", medium " + f.Counts.Medium)),
                ["criticalTotal"] = critical.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }
}
