namespace SecurityAlexa.Targets;

/// <summary>Resolves spoken targets against the tags and instances that really exist. Shared by scan, patch and isolate.</summary>
internal interface ITargetResolver
{
    /// <summary>Resolves a spoken query.</summary>
    Task<TargetResult> ResolveAsync(TargetQuery query, CancellationToken cancellationToken);

    /// <summary>Describes known instance ids (any state); ids that no longer exist are left out.</summary>
    Task<IReadOnlyList<InstanceInfo>> DescribeAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken);
}
