namespace SecurityAlexa.Local.Chat;

/// <summary>A slot type value: its canonical name, id and synonyms.</summary>
internal sealed record ModelSlotValue(string? Id, string Name, IReadOnlyList<string> Synonyms);
