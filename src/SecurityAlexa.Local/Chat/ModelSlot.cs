namespace SecurityAlexa.Local.Chat;

/// <summary>A slot of an intent, with the utterances that answer its elicitation.</summary>
internal sealed record ModelSlot(string Name, string Type, IReadOnlyList<string> Samples);
