namespace SecurityAlexa.Targets;

/// <summary>One tag on one instance, as DescribeTags returns it.</summary>
internal sealed record InstanceTag(string InstanceId, string Key, string Value);

/// <summary>Server-side filters for DescribeInstances.</summary>
internal sealed record InstanceFilter
{
    /// <summary>Exact tag key (filter tag:Key), when filtering by tag.</summary>
    public string? TagKey { get; init; }

    /// <summary>Exact tag values for TagKey.</summary>
    public IReadOnlyList<string>? TagValues { get; init; }

    /// <summary>Instance ids to describe.</summary>
    public IReadOnlyList<string>? InstanceIds { get; init; }

    /// <summary>Instance states to include (instance-state-name); null means any state.</summary>
    public IReadOnlyList<string>? States { get; init; } = ["running"];
}

/// <summary>One page of results and the token for the next, or null at the end.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>The EC2 reads target resolution needs. The adapter is a thin translation of DescribeTags and DescribeInstances.</summary>
internal interface IInstanceDirectory
{
    /// <summary>One page of instance tags (DescribeTags, resource-type instance).</summary>
    Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken);

    /// <summary>One page of instances matching the filter (DescribeInstances).</summary>
    Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken);
}
