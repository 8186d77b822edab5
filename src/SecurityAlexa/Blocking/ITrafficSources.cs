using SecurityAlexa.Isolation;

namespace SecurityAlexa.Blocking;

/// <summary>
/// "Who is hitting web-1": a Logs Insights query over the flow logs (found through <see cref="IFlowLogs"/>) that
/// counts accepted and rejected records per source address for some interfaces.
/// </summary>
internal interface ITrafficSources
{
    /// <summary>Starts the count between two times, leaving out the instance's own addresses; returns the query id.</summary>
    Task<string> StartTopSourcesAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds,
        IReadOnlyList<string> ownAddresses, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The query's state, and once complete the sources, busiest first.</summary>
    Task<TrafficSources> GetTopSourcesAsync(string queryId, CancellationToken cancellationToken);
}

/// <summary>A top-sources query's state and rows.</summary>
internal sealed record TrafficSources(FlowLogQueryState State, IReadOnlyList<SourceCount> Sources)
{
    /// <summary>A query still running.</summary>
    public static TrafficSources Running { get; } = new(FlowLogQueryState.Running, []);
}

/// <summary>One source address with its accepted and rejected record counts.</summary>
internal sealed record SourceCount(string Address, long Accepted, long Rejected)
{
    /// <summary>Both counts.</summary>
    public long Total => Accepted + Rejected;
}
