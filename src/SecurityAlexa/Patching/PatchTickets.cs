using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Patching;

/// <summary>The ticket of a patch run: one OpsItem per run (its first command id), with every command id in its data.</summary>
internal static class PatchTickets
{
    /// <summary>The draft for commands that were sent; null when none was.</summary>
    public static TicketDraft? Started(Lang lang, string requestId, IReadOnlyList<string> commandIds, IReadOnlyList<string> instanceIds,
        IReadOnlyList<string> names, string reference)
    {
        if (commandIds.Count == 0) return null;
        return new TicketDraft
        {
            DedupKey = TicketDraft.Keys.Patch(commandIds[0]),
            Title = lang.Text("ticket.title.patch", ("command", commandIds[0])),
            Description = lang.Text("ticket.description.patch", ("count", lang.Count(Math.Max(names.Count, instanceIds.Count), "instance")),
                ("names", string.Join(", ", names.Take(20)))),
            Severity = 3,
            // Related resources are bounded: a tag-wide run is named by its command, not its every instance.
            InstanceIds = instanceIds.Take(50).ToList(),
            RequestId = requestId,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["commandIds"] = string.Join(",", commandIds),
                ["patchReference"] = reference,
            },
        };
    }
}
