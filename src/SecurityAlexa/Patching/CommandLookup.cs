namespace SecurityAlexa.Patching;

/// <summary>The result of looking a command up by its comment.</summary>
internal sealed record CommandLookup(LookupOutcome Outcome, PatchCommand? Command = null);
