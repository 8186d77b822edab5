namespace SecurityAlexa.Local.Chat;

/// <summary>The dialog rules of one intent.</summary>
internal sealed record DialogIntent(string Name, bool ConfirmationRequired, string? ConfirmationPrompt, IReadOnlyList<DialogSlot> Slots);
