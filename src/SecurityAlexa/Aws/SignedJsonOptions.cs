namespace SecurityAlexa.Aws;

/// <summary>Retry and time-out settings for <see cref="SignedJsonClient"/>.</summary>
internal sealed record SignedJsonOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first back-off; it doubles each retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a single attempt may take; the request's own token bounds the whole call.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest opening a connection may take (the default transport only).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
