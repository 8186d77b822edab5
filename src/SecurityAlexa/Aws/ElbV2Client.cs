using System.Globalization;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation.Containment;

namespace SecurityAlexa.Aws;

/// <summary>
/// Elastic Load Balancing v2 (Query protocol, 2015-12-01). Finding an instance's registrations reads the instance-type
/// target groups of its VPC and each one's targets, a bounded number of pages and groups.
/// </summary>
internal sealed class ElbV2Client(SignedJsonClient http) : ILoadBalancing
{
    // 400 groups a page is the API's maximum; beyond a few pages the account is not one this skill can read in a turn.
    private const int PageSize = 400;
    private const int MaxPages = 3;
    private const int Parallel = 8;

    private readonly QueryClient _query = new(http, "2015-12-01");

    /// <inheritdoc />
    public async Task<IReadOnlyList<TargetRegistration>> FindAsync(string instanceId, string? vpcId, CancellationToken cancellationToken)
    {
        var groups = new List<string>();
        string? marker = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = new List<(string, string)> { ("PageSize", PageSize.ToString(CultureInfo.InvariantCulture)) };
            if (marker is not null) parameters.Add(("Marker", marker));
            var result = await _query.CallAsync(AwsOperations.ElbDescribeTargetGroups, "DescribeTargetGroups", parameters,
                cancellationToken).ConfigureAwait(false);
            foreach (var g in QueryClient.Members(result, "TargetGroups"))
            {
                // Only groups that can hold an instance by its id, in its VPC.
                if (QueryClient.Text(g, "TargetType") is { } type && type != "instance") continue;
                if (vpcId is not null && QueryClient.Text(g, "VpcId") is { } vpc && vpc != vpcId) continue;
                if (QueryClient.Text(g, "TargetGroupArn") is { Length: > 0 } arn) groups.Add(arn);
            }
            marker = QueryClient.Text(result, "NextMarker") is { Length: > 0 } next ? next : null;
            if (marker is null) break;
        }

        using var gate = new SemaphoreSlim(Parallel);
        var found = await Task.WhenAll(groups.Select(async arn =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _query.CallAsync(AwsOperations.ElbDescribeTargetHealth, "DescribeTargetHealth",
                    [("TargetGroupArn", arn)], cancellationToken).ConfigureAwait(false);
                return QueryClient.Members(result, "TargetHealthDescriptions")
                    .Select(d => QueryClient.Child(d, "Target"))
                    .Where(t => QueryClient.Text(t, "Id") == instanceId)
                    .Select(t => new TargetRegistration(arn, int.TryParse(QueryClient.Text(t, "Port"), NumberStyles.None,
                        CultureInfo.InvariantCulture, out var port) ? port : null))
                    .ToList();
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return found.SelectMany(f => f).Distinct().ToList();
    }

    /// <inheritdoc />
    public Task DeregisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.ElbDeregisterTargets, "DeregisterTargets", Target(instanceId, registration), cancellationToken);

    /// <inheritdoc />
    public Task RegisterAsync(string instanceId, TargetRegistration registration, CancellationToken cancellationToken) =>
        _query.CallAsync(AwsOperations.ElbRegisterTargets, "RegisterTargets", Target(instanceId, registration), cancellationToken);

    private static List<(string Name, string Value)> Target(string instanceId, TargetRegistration r)
    {
        var parameters = new List<(string, string)> { ("TargetGroupArn", r.TargetGroupArn), ("Targets.member.1.Id", instanceId) };
        if (r.Port is { } port) parameters.Add(("Targets.member.1.Port", port.ToString(CultureInfo.InvariantCulture)));
        return parameters;
    }
}
