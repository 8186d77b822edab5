namespace SecurityAlexa.Notifications;

/// <summary>A message for the team's chat channel, in plain text.</summary>
internal sealed record ChatMessage(string Text);

/// <summary>Whether a chat post arrived, and if not, why (for the log; never the webhook URL).</summary>
internal sealed record ChatDelivery(bool Delivered, string? Failure = null)
{
    /// <summary>A post that arrived.</summary>
    public static readonly ChatDelivery Ok = new(true);

    /// <summary>A post that did not arrive.</summary>
    public static ChatDelivery Failed(string why) => new(false, why);
}

/// <summary>
/// Posts what the skill did (isolate, release, patch) to the team's chat channel. It never throws:
/// a failed post must never fail the action it reports.
/// </summary>
internal interface IChatNotifier
{
    /// <summary>Posts the message.</summary>
    Task<ChatDelivery> NotifyAsync(ChatMessage message, CancellationToken cancellationToken);
}

/// <summary>Where the webhook URL comes from (a secret, so it is fetched, never configured in clear).</summary>
internal interface IWebhookUrlSource
{
    /// <summary>The URL, or null when none is set.</summary>
    Task<string?> GetUrlAsync(CancellationToken cancellationToken);
}
