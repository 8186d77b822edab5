namespace SecurityAlexa.Patching;

/// <summary>Where a patch command goes: every instance carrying a tag, or a list of at most 50 instance ids.</summary>
internal sealed record PatchCommandTarget
{
    /// <summary>The exact tag key, when the whole tag group is targeted.</summary>
    public string? TagKey { get; init; }

    /// <summary>The exact tag values (one value, or its spellings such as prod and Prod), when the whole tag group is targeted.</summary>
    public IReadOnlyList<string> TagValues { get; init; } = [];

    /// <summary>The instance ids, when targeting by id.</summary>
    public IReadOnlyList<string> InstanceIds { get; init; } = [];

    /// <summary>True when the command targets a tag rather than ids.</summary>
    public bool IsTag => TagKey is not null && TagValues.Count > 0;
}
