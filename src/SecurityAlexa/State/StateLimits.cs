namespace SecurityAlexa.State;

/// <summary>Bounds on how the state table is read.</summary>
internal static class StateLimits
{
    /// <summary>
    /// Single reads in flight at once when many are needed: 200 at once would open as many TLS connections from a function
    /// with a fraction of a CPU.
    /// </summary>
    public const int ParallelReads = 20;

    /// <summary>Keys in one DynamoDB BatchGetItem, DynamoDB's own limit.</summary>
    public const int BatchKeys = 100;

    /// <summary>Calls of one BatchGetItem batch at most, the first and the retries of what DynamoDB left unprocessed.</summary>
    public const int BatchAttempts = 3;
}
