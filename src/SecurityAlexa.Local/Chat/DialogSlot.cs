namespace SecurityAlexa.Local.Chat;

/// <summary>The dialog rules of one slot.</summary>
internal sealed record DialogSlot(string Name, bool ElicitationRequired, string? ElicitationPrompt);
