using System.Globalization;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Sandbox;

/// <summary>DescribeTags and DescribeInstances over the sandbox world, paged like EC2.</summary>
internal sealed class SandboxInstanceDirectory(SandboxWorld world, int pageSize = 1000) : IInstanceDirectory
{
    /// <inheritdoc />
    public Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var all = world.Locked(w => w.Instances
            .SelectMany(i => i.Tags.Select(t => new InstanceTag(i.Id, t.Key, t.Value)))
            .ToList());
        return Task.FromResult(Slice(all, nextToken));
    }

    /// <inheritdoc />
    public Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        var all = world.Locked(w => w.Instances
            .Where(i => filter.States is null || filter.States.Contains(i.State))
            .Where(i => filter.InstanceIds is null || filter.InstanceIds.Contains(i.Id))
            .Where(i => filter.TagKey is null
                || (i.Tags.TryGetValue(filter.TagKey, out var v) && (filter.TagValues is null || filter.TagValues.Contains(v))))
            .Select(ToInfo)
            .ToList());
        return Task.FromResult(Slice(all, nextToken));
    }

    /// <summary>The domain view of a sandbox instance.</summary>
    public static InstanceInfo ToInfo(SandboxInstance i) => new(
        i.Id, i.Tags.GetValueOrDefault("Name"), i.State, i.VpcId, i.PrivateIp, i.Platform,
        new Dictionary<string, string>(i.Tags, StringComparer.Ordinal));

    private Page<T> Slice<T>(List<T> all, string? nextToken)
    {
        var start = nextToken is null ? 0 : int.Parse(nextToken, CultureInfo.InvariantCulture);
        var items = all.Skip(start).Take(pageSize).ToList();
        var next = start + pageSize < all.Count ? (start + pageSize).ToString(CultureInfo.InvariantCulture) : null;
        return new Page<T>(items, next);
    }
}
