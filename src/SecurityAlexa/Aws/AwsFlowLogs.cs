using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.Isolation;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// Flow logs over EC2 (DescribeFlowLogs) and CloudWatch Logs Insights (StartQuery / GetQueryResults,
/// JSON 1.1 through the shared SigV4 client).
/// </summary>
internal sealed partial class AwsFlowLogs(Func<IAmazonEC2> ec2, SignedJsonClient logs) : IFlowLogs
{
    private const string JsonContentType = "application/x-amz-json-1.1";
    private const string CountField = "rejected";

    public AwsFlowLogs(IAmazonEC2 ec2, SignedJsonClient logs) : this(() => ec2, logs) { }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FlowLogDestination>> FindAsync(IReadOnlyCollection<string> resourceIds,
        CancellationToken cancellationToken)
    {
        var found = new List<FlowLogDestination>();
        string? token = null;
        do
        {
            var request = new DescribeFlowLogsRequest
            {
                Filter = [new Filter("resource-id", [.. resourceIds]), new Filter("log-destination-type", ["cloud-watch-logs"])],
                NextToken = token,
            };
            var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeFlowLogs, ct => ec2().DescribeFlowLogsAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
            found.AddRange((response.FlowLogs ?? [])
                .Where(f => !string.IsNullOrEmpty(f.LogGroupName) && (f.FlowLogStatus is null || f.FlowLogStatus == "ACTIVE"))
                .Select(f => new FlowLogDestination(f.ResourceId ?? "", f.LogGroupName, f.TrafficType?.Value ?? "ALL")));
            token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (token is not null);
        return found;
    }

    /// <inheritdoc />
    public async Task<string> StartRejectCountAsync(IReadOnlyList<string> logGroups, IReadOnlyList<string> interfaceIds,
        DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var request = new LogsStartQueryRequest
        {
            LogGroupNames = [.. logGroups],
            StartTime = since.ToUnixTimeSeconds(),
            EndTime = Math.Max(until.ToUnixTimeSeconds(), since.ToUnixTimeSeconds() + 1),
            QueryString = RejectCountQuery(interfaceIds),
            Limit = 1,
        };
        var response = await logs.PostAsync(AwsOperations.LogsStartQuery, "/", request, LogsJsonContext.Default.LogsStartQueryRequest,
            LogsJsonContext.Default.LogsStartQueryResponse, cancellationToken, "Logs_20140328.StartQuery", JsonContentType)
                .ConfigureAwait(false);
        return response.QueryId
            ?? throw new AwsCallException(AwsOperations.LogsStartQuery, AwsFailure.Other, null, null, "No query id in the answer.");
    }

    /// <inheritdoc />
    public async Task<FlowLogCount> GetRejectCountAsync(string queryId, CancellationToken cancellationToken)
    {
        var response = await logs.PostAsync(AwsOperations.LogsGetQueryResults, "/", new LogsGetQueryResultsRequest { QueryId = queryId },
            LogsJsonContext.Default.LogsGetQueryResultsRequest, LogsJsonContext.Default.LogsGetQueryResultsResponse,
            cancellationToken, "Logs_20140328.GetQueryResults", JsonContentType).ConfigureAwait(false);
        switch (response.Status)
        {
            case "Complete":
                // No matching record gives no row at all: that is a count of zero.
                var value = (response.Results ?? []).Where(r => r is not null).SelectMany(r => r!)
                    .FirstOrDefault(f => f.Field == CountField)?.Value;
                return new FlowLogCount(FlowLogQueryState.Complete,
                    long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0);
            case "Failed" or "Cancelled" or "Timeout":
                return new FlowLogCount(FlowLogQueryState.Failed);
            default:
                return new FlowLogCount(FlowLogQueryState.Running);
        }
    }

    /// <summary>
    /// The Logs Insights query: REJECT records of the interfaces, counted. Fields are the ones Logs
    /// Insights discovers in the default flow-log format. Ids are checked, so nothing else reaches the query.
    /// </summary>
    public static string RejectCountQuery(IReadOnlyList<string> interfaceIds)
    {
        var ids = interfaceIds.Where(id => InterfaceId().IsMatch(id)).ToList();
        if (ids.Count == 0) throw new ArgumentException("No valid interface id to count for.", nameof(interfaceIds));
        var query = new StringBuilder("filter action = \"REJECT\" and interfaceId in [");
        query.Append(string.Join(", ", ids.Select(id => "\"" + id + "\"")));
        query.Append("] | stats count(*) as ").Append(CountField);
        return query.ToString();
    }

    [GeneratedRegex("^eni-[0-9a-f]{8,32}$")]
    private static partial Regex InterfaceId();
}
