using System.Globalization;
using System.Net;
using System.Text;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Blocking;
using SecurityAlexa.Isolation;

namespace SecurityAlexa.Aws;

/// <summary>The top-sources query, over the same Logs Insights client and flow-log discovery as the reject count.</summary>
internal sealed partial class AwsFlowLogs : ITrafficSources
{
    private const string HitsField = "hits";

    /// <inheritdoc />
    public async Task<string> StartTopSourcesAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds,
        IReadOnlyList<string> ownAddresses, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var request = new LogsStartQueryRequest
        {
            LogGroupNames = [.. logGroups],
            StartTime = since.ToUnixTimeSeconds(),
            EndTime = Math.Max(until.ToUnixTimeSeconds(), since.ToUnixTimeSeconds() + 1),
            QueryString = TopSourcesQuery(interfaceIds, ownAddresses),
            Limit = 100,
        };
        var response = await logs.PostAsync(AwsOperations.LogsStartQuery, "/", request, LogsJsonContext.Default.LogsStartQueryRequest,
            LogsJsonContext.Default.LogsStartQueryResponse, cancellationToken, "Logs_20140328.StartQuery", JsonContentType)
                .ConfigureAwait(false);
        return response.QueryId
            ?? throw new AwsCallException(AwsOperations.LogsStartQuery, AwsFailure.Other, null, null, "No query id in the answer.");
    }

    /// <inheritdoc />
    public async Task<TrafficSources> GetTopSourcesAsync(string queryId, CancellationToken cancellationToken)
    {
        var response = await logs.PostAsync(AwsOperations.LogsGetQueryResults, "/", new LogsGetQueryResultsRequest { QueryId = queryId },
            LogsJsonContext.Default.LogsGetQueryResultsRequest, LogsJsonContext.Default.LogsGetQueryResultsResponse,
            cancellationToken, "Logs_20140328.GetQueryResults", JsonContentType).ConfigureAwait(false);
        switch (response.Status)
        {
            case "Complete":
                var counts = new Dictionary<string, (long Accepted, long Rejected)>(StringComparer.Ordinal);
                foreach (var row in (response.Results ?? []).Where(r => r is not null))
                {
                    string? Field(string name) => row!.FirstOrDefault(f => f.Field == name)?.Value;
                    // Only real addresses are passed on: whatever a log record holds is never spoken unchecked.
                    if (Field("srcAddr") is not { } address || !IPAddress.TryParse(address, out _)) continue;
                    if (!long.TryParse(Field(HitsField), NumberStyles.Integer, CultureInfo.InvariantCulture, out var hits)) continue;
                    var (accepted, rejected) = counts.GetValueOrDefault(address);
                    counts[address] = Field("action") == "REJECT" ? (accepted, rejected + hits) : (accepted + hits, rejected);
                }
                return new TrafficSources(FlowLogQueryState.Complete,
                    counts.Select(c => new SourceCount(c.Key, c.Value.Accepted, c.Value.Rejected)).ToList());
            case "Failed" or "Cancelled" or "Timeout":
                return new TrafficSources(FlowLogQueryState.Failed, []);
            default:
                return TrafficSources.Running;
        }
    }

    /// <summary>
    /// Records of the interfaces, counted by source address and action, leaving out the instance's own addresses
    /// (its outbound traffic). Ids and addresses are checked, so nothing else reaches the query.
    /// </summary>
    public static string TopSourcesQuery(IReadOnlyList<string> interfaceIds, IReadOnlyList<string> ownAddresses)
    {
        var ids = interfaceIds.Where(id => InterfaceId().IsMatch(id)).ToList();
        if (ids.Count == 0) throw new ArgumentException("No valid interface id to count for.", nameof(interfaceIds));
        var query = new StringBuilder("filter interfaceId in [");
        query.Append(string.Join(", ", ids.Select(id => "\"" + id + "\""))).Append(']');
        foreach (var own in ownAddresses.Where(a => IPAddress.TryParse(a, out var ip) && ip.ToString() == a))
            query.Append(" and srcAddr != \"").Append(own).Append('"');
        query.Append(" | stats count(*) as ").Append(HitsField).Append(" by srcAddr, action | sort ").Append(HitsField)
            .Append(" desc | limit 100");
        return query.ToString();
    }
}
