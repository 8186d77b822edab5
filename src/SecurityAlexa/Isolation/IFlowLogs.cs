using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>A VPC flow log that delivers to CloudWatch Logs, as DescribeFlowLogs reports it.</summary>
internal sealed record FlowLogDestination(string ResourceId, string LogGroupName, string TrafficType);

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

/// <summary>A query's state and, once complete, the number of REJECT records it counted.</summary>
internal sealed record FlowLogCount(FlowLogQueryState State, long Rejected = 0);

/// <summary>
/// VPC flow logs in CloudWatch Logs: which log groups receive them (EC2 DescribeFlowLogs) and a Logs
/// Insights count of REJECT records for some interfaces (StartQuery / GetQueryResults).
/// </summary>
internal interface IFlowLogs
{
    /// <summary>Flow logs to CloudWatch Logs on any of the resources (a VPC, subnets, interfaces).</summary>
    Task<IReadOnlyList<FlowLogDestination>> FindAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>Starts counting REJECT records of the interfaces between two times; returns the query id.</summary>
    Task<string> StartRejectCountAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The query's state, and its count when complete.</summary>
    Task<FlowLogCount> GetRejectCountAsync(string queryId, CancellationToken cancellationToken);
}

/// <summary>What isolation remembers between turns: a flow-log query still running.</summary>
internal sealed record IsolationMemory
{
    /// <summary>The blocked-traffic query to answer from next time.</summary>
    [JsonPropertyName("blocked")] public BlockedTrafficQuery? BlockedQuery { get; init; }
}

/// <summary>A blocked-traffic query started in an earlier turn.</summary>
internal sealed record BlockedTrafficQuery
{
    /// <summary>The instance it counts for.</summary>
    [JsonPropertyName("id")] public string InstanceId { get; init; } = "";

    /// <summary>The instance's name, to say.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>The Logs Insights query id.</summary>
    [JsonPropertyName("query")] public string QueryId { get; init; } = "";

    /// <summary>When the instance was isolated (the start of the count).</summary>
    [JsonPropertyName("since")] public DateTimeOffset Since { get; init; }
}
