namespace SecurityAlexa.Targets;

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
