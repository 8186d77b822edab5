namespace SecurityAlexa.Local.Chat;

/// <summary>The intent and slots an utterance resolved to, and the sample it matched.</summary>
internal sealed record IntentMatch(string Intent, IReadOnlyDictionary<string, SlotFill> Slots, double Score, string Sample);
