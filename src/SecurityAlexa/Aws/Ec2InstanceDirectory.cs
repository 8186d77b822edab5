using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>DescribeTags and DescribeInstances over the EC2 SDK: a translation, with every filter applied server-side.</summary>
internal sealed class Ec2InstanceDirectory : IInstanceDirectory
{
    // The largest page both calls allow: fewer round trips inside Alexa's 8 seconds.
    private const int PageSize = 1000;

    private readonly Func<IAmazonEC2> _ec2;

    /// <summary>An adapter over a client.</summary>
    public Ec2InstanceDirectory(IAmazonEC2 ec2) => _ec2 = () => ec2;

    /// <summary>An adapter over a client built on first use, so cold start does not pay for it.</summary>
    public Ec2InstanceDirectory(Func<IAmazonEC2> ec2) => _ec2 = ec2;

    /// <inheritdoc />
    public async Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var request = new DescribeTagsRequest
        {
            Filters = [new Filter("resource-type", ["instance"])],
            MaxResults = PageSize,
            NextToken = nextToken,
        };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeTags,
            ct => _ec2().DescribeTagsAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var tags = (response.Tags ?? [])
            .Where(t => t.ResourceId is not null && t.Key is not null)
            .Select(t => new InstanceTag(t.ResourceId, t.Key, t.Value ?? ""))
            .ToList();
        return new Page<InstanceTag>(tags, NullIfEmpty(response.NextToken));
    }

    /// <inheritdoc />
    public async Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        var request = new DescribeInstancesRequest { Filters = Filters(filter), MaxResults = PageSize, NextToken = nextToken };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances,
            ct => _ec2().DescribeInstancesAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var instances = (response.Reservations ?? [])
            .SelectMany(r => r.Instances ?? [])
            .Where(i => i.InstanceId is not null)
            .Select(ToInfo)
            .ToList();
        return new Page<InstanceInfo>(instances, NullIfEmpty(response.NextToken));
    }

    /// <summary>
    /// The server-side filters for a query. Ids go in a filter, not InstanceIds, because EC2 refuses MaxResults with InstanceIds.
    /// </summary>
    public static List<Filter> Filters(InstanceFilter filter)
    {
        var filters = new List<Filter>();
        if (filter.TagKey is { } key)
            filters.Add(filter.TagValues is { Count: > 0 } values ? new Filter("tag:" + key, [.. values]) : new Filter("tag-key", [key]));
        if (filter.InstanceIds is { } ids) filters.Add(new Filter("instance-id", [.. ids]));
        if (filter.States is { } states) filters.Add(new Filter("instance-state-name", [.. states]));
        return filters;
    }

    private static InstanceInfo ToInfo(Instance i)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in i.Tags ?? [])
        {
            if (tag.Key is not null) tags[tag.Key] = tag.Value ?? "";
        }
        return new InstanceInfo(
            i.InstanceId,
            tags.GetValueOrDefault("Name"),
            i.State?.Name?.Value ?? "unknown",
            i.VpcId,
            i.PrivateIpAddress,
            i.PlatformDetails ?? i.Platform?.Value,
            tags);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
