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

    /// <summary>
    /// Where the instances are; null for the desk's own account and region. <see cref="IncidentTickets"/> sets it for the
    /// account and region the action was taken in.
    /// </summary>
    public TicketScope? Scope { get; init; }

    /// <summary>De-duplication keys, one shape per kind of incident, each at most <see cref="MaxLength"/> characters.</summary>
    public static class Keys
    {
        /// <summary>The most characters a key has.</summary>
        public const int MaxLength = 64;

        private const string Prefix = "SecurityAlexa:";

        // 8 bytes of SHA-256: 16 hex digits.
        private const int HashBytes = 8;

        /// <summary>An incident on these instances: isolation, release and "open a ticket" for them share it.</summary>
        public static string Incident(IEnumerable<string> instanceIds) =>
            Bounded("incident:", string.Join(",", instanceIds.Order(StringComparer.Ordinal)));

        /// <summary>One patch command.</summary>
        public static string Patch(string commandId) => Bounded("patch:", commandId);

        /// <summary>Critical findings on a tag group (or an instance set).</summary>
        public static string Findings(string scope) => Bounded("findings:", scope);

        /// <summary>A key made distinct for another account or region: the same tag group in two accounts is two incidents.</summary>
        public static string Within(TicketScope scope, string key) =>
            Bounded(scope.AccountId + "/" + scope.Region + ":",
                key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key);

        // OpsCenter compares de-duplication strings ignoring case, while the skill finds its open OpsItem by an exact match. A
        // value is kept as it is only when it fits, has no capitals and no '~'; otherwise it is cut, lower-cased and followed by a
        // hash of its exact spelling, so two spellings that differ only in case are two keys for OpsCenter as for the skill.
        private static string Bounded(string label, string what)
        {
            var head = Prefix + label;
            if (head.Length + what.Length <= MaxLength && !what.Contains('~', StringComparison.Ordinal)
                && string.Equals(what, what.ToLowerInvariant(), StringComparison.Ordinal))
                return head + what;
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(what))
                .AsSpan(0, HashBytes));
            var cut = what.ToLowerInvariant();
            cut = cut[..Math.Clamp(MaxLength - head.Length - 1 - hash.Length, 0, cut.Length)];
            if (cut.Length > 0 && char.IsHighSurrogate(cut[^1])) cut = cut[..^1];
            return head + cut + "~" + hash;
        }
    }
}
