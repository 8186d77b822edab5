namespace SecurityAlexa.Notifications;

/// <summary>A message for the team's chat channel, in plain text.</summary>
internal sealed record ChatMessage(string Text);
