namespace SecurityAlexa.Isolation;

/// <summary>
/// VPC flow logs in CloudWatch Logs: which log groups receive them (EC2 DescribeFlowLogs) and a Logs
/// Insights count of REJECT records for some interfaces (StartQuery / GetQueryResults).
/// </summary>
internal interface IFlowLogs
{
    /// <summary>Flow logs to CloudWatch Logs on any of the resources (a VPC, subnets, interfaces).</summary>
    Task<IReadOnlyList<FlowLogDestination>> FindAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>Starts counting REJECT records of the interfaces between two times; returns the query id.</summary>
    Task<string> StartRejectCountAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds, DateTimeOffset since,
        DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The query's state, and its count when complete.</summary>
    Task<FlowLogCount> GetRejectCountAsync(string queryId, CancellationToken cancellationToken);
}
