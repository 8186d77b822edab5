namespace SecurityAlexa.Tickets;

/// <summary>
/// What a ticket says about one incident. <see cref="DedupKey"/> makes one incident one ticket: isolating, releasing
/// and asking for a ticket for the same instances all land on the same OpsItem while it is open.
/// </summary>
internal sealed record TicketDraft
{
    /// <summary>The de-duplication key (at most 64 characters, see <see cref="Keys"/>).</summary>
    public required string DedupKey { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>What happened, for the description.</summary>
    public required string Description { get; init; }

    /// <summary>1 (critical) to 4 (low).</summary>
    public int Severity { get; init; } = 2;

    /// <summary>The instances, as related resources.</summary>
    public IReadOnlyList<string> InstanceIds { get; init; } = [];

    /// <summary>The request (Alexa request id or event id) the audit record is kept under.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>Operational data: original groups, command id, finding counts, and so on.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>De-duplication keys, one shape per kind of incident.</summary>
    public static class Keys
    {
        /// <summary>An incident on these instances: isolation, release and "open a ticket" for them share it.</summary>
        public static string Incident(IEnumerable<string> instanceIds) =>
            Bounded("incident", string.Join(",", instanceIds.Order(StringComparer.Ordinal)));

        /// <summary>One patch command.</summary>
        public static string Patch(string commandId) => Bounded("patch", commandId);

        /// <summary>Critical findings on a tag group (or an instance set).</summary>
        public static string Findings(string scope) => Bounded("findings", scope);

        // Long sets are hashed so the key stays short and of one shape.
        private static string Bounded(string kind, string what) => what.Length <= 48 ? "SecurityAlexa:" + kind + ":" + what
            : "SecurityAlexa:" + kind + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(what)).AsSpan(0, 12));
    }
}
