namespace SecurityAlexa.Targets;

/// <summary>The EC2 reads target resolution needs. The adapter is a thin translation of DescribeTags and DescribeInstances.</summary>
internal interface IInstanceDirectory
{
    /// <summary>One page of instance tags (DescribeTags, resource-type instance).</summary>
    Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken);

    /// <summary>One page of instances matching the filter (DescribeInstances).</summary>
    Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken);
}
