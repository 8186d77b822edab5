namespace SecurityAlexa.Skill;

/// <summary>
/// One unit of work that outlives a turn: one instance's isolation, or one tag event. <see cref="Payload"/> is
/// JSON owned by the handler of <see cref="Kind"/>; the queue neither reads nor changes it.
/// </summary>
internal sealed record WorkItem(string Kind, string Payload);
