namespace SecurityAlexa.Skill;

/// <summary>The outcome of a non-Alexa event.</summary>
internal sealed record EventResult(string Status, string? Detail = null);
