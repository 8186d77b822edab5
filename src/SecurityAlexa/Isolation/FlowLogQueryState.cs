namespace SecurityAlexa.Isolation;

/// <summary>Where a Logs Insights query stands.</summary>
public enum FlowLogQueryState
{
    /// <summary>Scheduled or running: ask again later.</summary>
    Running,
    /// <summary>Finished; the count is final.</summary>
    Complete,
    /// <summary>Failed, cancelled or timed out on the service side.</summary>
    Failed,
}
