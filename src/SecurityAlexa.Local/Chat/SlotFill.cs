namespace SecurityAlexa.Local.Chat;

/// <summary>A slot filled from an utterance: the words heard and, for custom types, the entity-resolution result.</summary>
internal sealed record SlotFill(string Name, string Type, string Value, SlotResolution Resolution, string? ResolvedName = null,
    string? ResolvedId = null);
