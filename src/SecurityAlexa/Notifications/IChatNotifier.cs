namespace SecurityAlexa.Notifications;

/// <summary>
/// Posts what the skill did (isolate, release, patch) to the team's chat channel. It never throws:
/// a failed post must never fail the action it reports.
/// </summary>
internal interface IChatNotifier
{
    /// <summary>Posts the message.</summary>
    Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken);
}
