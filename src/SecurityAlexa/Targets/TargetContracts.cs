namespace SecurityAlexa.Targets;

/// <summary>An EC2 instance as the skill talks about it.</summary>
internal sealed record InstanceInfo(
    string Id,
    string? Name,
    string State,
    string? VpcId,
    string? PrivateIp,
    string? Platform,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The Name tag, or the id when the instance has no name.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;

    /// <summary>The value of a tag, or null.</summary>
    public string? Tag(string key) => Tags.TryGetValue(key, out var v) ? v : null;
}

/// <summary>A tag as it really exists in the account (exact key and value).</summary>
internal sealed record TagSelector(string Key, string Value)
{
    /// <summary>Every exact value meant: Value, plus spellings that differ only in case or separators ("prod", "Prod").</summary>
    public IReadOnlyList<string> Values { get; init; } = [Value];
}

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

/// <summary>The instances a request resolved to, and how to describe them back.</summary>
internal sealed record TargetSelection(
    string Description,
    TagSelector? Tag,
    IReadOnlyList<InstanceInfo> Instances)
{
    /// <summary>The instance ids, in order.</summary>
    public IReadOnlyList<string> Ids => Instances.Select(i => i.Id).ToList();
}

/// <summary>What the user should be asked when a spoken word fits more than one thing.</summary>
internal enum AmbiguityKind
{
    /// <summary>Several tag keys fit.</summary>
    TagKey,
    /// <summary>Several tag values fit.</summary>
    TagValue,
    /// <summary>Several instances fit the name.</summary>
    InstanceName,
}

/// <summary>Why nothing was found, and what does exist, so the answer can help.</summary>
internal enum NotFoundKind
{
    /// <summary>No tag key like the spoken one exists.</summary>
    NoSuchTagKey,
    /// <summary>The key exists, but no value like the spoken one.</summary>
    NoSuchTagValue,
    /// <summary>No instance has that name or id.</summary>
    NoSuchInstance,
    /// <summary>The tag or name matched, but no instance is in a state the request covers (for example none running).</summary>
    NoRunningInstances,
    /// <summary>The user named nothing.</summary>
    NothingNamed,
}

/// <summary>The result of resolving spoken words to instances.</summary>
internal abstract record TargetResult
{
    private TargetResult() { }

    /// <summary>The words resolved to a non-empty set of instances.</summary>
    public sealed record Found(TargetSelection Selection) : TargetResult;

    /// <summary>More than one candidate fits; ask which one. Candidates are display strings.</summary>
    public sealed record Ambiguous(AmbiguityKind Kind, string Heard, IReadOnlyList<string> Candidates) : TargetResult;

    /// <summary>Nothing fits. Known lists what does exist (keys, values or names) to say back.</summary>
    public sealed record NotFound(NotFoundKind Kind, string Heard, string? ResolvedKey, IReadOnlyList<string> Known) : TargetResult;
}

/// <summary>Resolves spoken targets against the tags and instances that really exist. Shared by scan, patch and isolate.</summary>
internal interface ITargetResolver
{
    /// <summary>Resolves a spoken query.</summary>
    Task<TargetResult> ResolveAsync(TargetQuery query, CancellationToken cancellationToken);

    /// <summary>Describes known instance ids (any state); ids that no longer exist are left out.</summary>
    Task<IReadOnlyList<InstanceInfo>> DescribeAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken);
}
