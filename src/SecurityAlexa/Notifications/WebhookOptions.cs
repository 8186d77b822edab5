namespace SecurityAlexa.Notifications;

/// <summary>Timing of webhook posts.</summary>
internal sealed record WebhookOptions
{
    /// <summary>The most a post may take, retries included, so that the answer is never late because of chat.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first retry's delay (then doubled, with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Retries after the first attempt, on 429, 5xx or a network error.</summary>
    public int Retries { get; init; } = 2;
}
