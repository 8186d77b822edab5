using System.Globalization;
using SecurityAlexa.Blocking;
using SecurityAlexa.Isolation;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Flow-log traffic from a few outside addresses to the prod interfaces (the documentation ranges of RFC 5737), counted
/// per source over the last hour; a query takes a moment to finish, as Logs Insights does. An address blocked in the
/// prod ACL gets no more accepted records.
/// </summary>
internal sealed class SandboxTraffic(TimeProvider clock, SandboxNetworkAcls acls) : ITrafficSources
{
    /// <summary>The outside addresses and their records per interface in an hour: accepted, rejected.</summary>
    public static readonly IReadOnlyList<SourceCount> PerInterfaceHour =
    [
        new("203.0.113.5", 37, 412),
        new("198.51.100.23", 0, 96),
        new("192.0.2.44", 18, 3),
    ];

    private readonly Dictionary<string, (IReadOnlyList<SourceCount> Sources, DateTimeOffset ReadyAt)> _queries =
        new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _next;

    /// <inheritdoc />
    public Task<string> StartTopSourcesAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds,
        IReadOnlyList<string> ownAddresses, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var blocked = acls.Entries(SandboxNetworkAcls.ProdAcl).Where(e => e.Deny && e.Cidr is not "0.0.0.0/0").Select(e => e.Cidr)
            .ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<SourceCount> sources = logGroups.Contains(SandboxFlowLogs.ProdLogGroup)
            ? PerInterfaceHour.Select(s => new SourceCount(s.Address,
                blocked.Contains(s.Address + "/32") ? 0 : s.Accepted * interfaceIds.Count, s.Rejected * interfaceIds.Count)).ToList()
            : [];
        lock (_gate)
        {
            var id = "sandbox-sources-" + (++_next).ToString(CultureInfo.InvariantCulture);
            _queries[id] = (sources, clock.GetUtcNow() + SandboxFlowLogs.QueryTime);
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc />
    public Task<TrafficSources> GetTopSourcesAsync(string queryId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_queries.TryGetValue(queryId, out var query)) return Task.FromResult(new TrafficSources(FlowLogQueryState.Failed, []));
            return Task.FromResult(clock.GetUtcNow() >= query.ReadyAt ? new TrafficSources(FlowLogQueryState.Complete, query.Sources)
                : TrafficSources.Running);
        }
    }
}
