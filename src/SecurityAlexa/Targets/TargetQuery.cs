namespace SecurityAlexa.Targets;

/// <summary>What the user said about which instances: a tag, a name or id, or both.</summary>
internal sealed record TargetQuery
{
    /// <summary>The spoken tag key ("environment"), if any.</summary>
    public string? TagKey { get; init; }

    /// <summary>The spoken tag value ("production"), if any.</summary>
    public string? TagValue { get; init; }

    /// <summary>The spoken instance name, id or id ending, if any.</summary>
    public string? Name { get; init; }

    /// <summary>Include instances that are not running (only when the speech asked for them).</summary>
    public bool IncludeStopped { get; init; }

    /// <summary>True when the user named nothing at all.</summary>
    public bool IsEmpty => TagKey is null && TagValue is null && Name is null;
}
