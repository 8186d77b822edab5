using System.Globalization;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Flow logs in the sandbox: the prod VPC sends them to CloudWatch Logs, the dev VPC has none. An
/// isolated interface is probed a steady number of times a minute, every probe a REJECT record; a
/// query takes a moment to finish, as Logs Insights does.
/// </summary>
internal sealed class SandboxFlowLogs(TimeProvider clock) : IFlowLogs
{
    /// <summary>The log group the prod VPC's flow logs go to.</summary>
    public const string ProdLogGroup = "/vpc/flow-logs/prod";

    /// <summary>REJECT records per isolated interface per minute.</summary>
    public const int RejectsPerMinute = 12;

    /// <summary>How long a query runs before it is complete.</summary>
    public static readonly TimeSpan QueryTime = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (long Count, DateTimeOffset ReadyAt)> _queries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _next;

    /// <inheritdoc />
    public Task<IReadOnlyList<FlowLogDestination>> FindAsync(IReadOnlyCollection<string> resourceIds,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FlowLogDestination>>(resourceIds.Contains(SandboxWorld.ProdVpc)
            ? [new FlowLogDestination(SandboxWorld.ProdVpc, ProdLogGroup, "ALL")]
            : []);

    /// <inheritdoc />
    public Task<string> StartRejectCountAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds, DateTimeOffset since,
        DateTimeOffset until, CancellationToken cancellationToken)
    {
        var minutes = Math.Max(0, (until - since).TotalMinutes);
        var count = logGroups.Contains(ProdLogGroup) ? (long)Math.Floor(minutes * RejectsPerMinute) * interfaceIds.Count : 0;
        lock (_gate)
        {
            var id = "sandbox-query-" + (++_next).ToString(CultureInfo.InvariantCulture);
            _queries[id] = (count, clock.GetUtcNow() + QueryTime);
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc />
    public Task<FlowLogCount> GetRejectCountAsync(string queryId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_queries.TryGetValue(queryId, out var query))
                throw new AwsCallException(AwsOperations.LogsGetQueryResults, AwsFailure.InvalidRequest, "ResourceNotFoundException",
                    System.Net.HttpStatusCode.BadRequest, "No such query.");
            return Task.FromResult(clock.GetUtcNow() >= query.ReadyAt
                ? new FlowLogCount(FlowLogQueryState.Complete, query.Count)
                : new FlowLogCount(FlowLogQueryState.Running));
        }
    }
}
