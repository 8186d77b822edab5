namespace SecurityAlexa.Skill;

/// <summary>
/// One unit of work that outlives a turn: one instance's isolation, or one tag event. <see cref="Payload"/> is
/// JSON owned by the handler of <see cref="Kind"/>; the queue neither reads nor changes it.
/// </summary>
/// <param name="Kind">The handler's kind.</param>
/// <param name="Payload">The handler's own JSON.</param>
/// <param name="Scope">
/// The key of the account and region the unit acts in (<c>accountId/region</c>); null for the home account and region,
/// so units from a single-account skill carry none. The consumer runs the unit with that scope's handlers only.
/// </param>
internal sealed record WorkItem(string Kind, string Payload, string? Scope = null);
