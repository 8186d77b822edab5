namespace SecurityAlexa.Notifications;

/// <summary>Where the webhook URL comes from (a secret, so it is fetched, never configured in clear).</summary>
internal interface IWebhookUrlSource
{
    /// <summary>The URL, or null when none is set.</summary>
    Task<string?> GetUrlAsync(CancellationToken cancellationToken);
}
