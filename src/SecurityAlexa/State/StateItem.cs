namespace SecurityAlexa.State;

/// <summary>
/// An item of the state table: its key and attributes. <see cref="ExpiryAttribute"/> is the table's TTL
/// attribute and <see cref="VersionAttribute"/> the version that versioned writes compare.
/// </summary>
internal sealed record StateItem(string Key, IReadOnlyDictionary<string, StateValue> Attributes)
{
    /// <summary>The partition key attribute.</summary>
    public const string KeyAttribute = "pk";

    /// <summary>The TTL attribute: epoch seconds after which the item no longer counts.</summary>
    public const string ExpiryAttribute = "expiresAt";

    /// <summary>The version number versioned writes are conditioned on.</summary>
    public const string VersionAttribute = "version";

    /// <summary>What kind of item this is (docs/state.md lists them).</summary>
    public const string KindAttribute = "kind";

    /// <summary>A string attribute, or null.</summary>
    public string? Text(string name) => Attributes.TryGetValue(name, out var v) ? v.Text : null;

    /// <summary>A number attribute, or null.</summary>
    public long? Number(string name) => Attributes.TryGetValue(name, out var v) ? v.Number : null;

    /// <summary>A time attribute (epoch seconds), or null.</summary>
    public DateTimeOffset? Time(string name) => Number(name) is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>When the item stops counting, or null for an item that never expires.</summary>
    public DateTimeOffset? ExpiresAt => Time(ExpiryAttribute);

    /// <summary>The item's version (0 when it has none).</summary>
    public long Version => Number(VersionAttribute) ?? 0;

    /// <summary>True while the item counts at <paramref name="now"/>.</summary>
    public bool IsLiveAt(DateTimeOffset now) => Number(ExpiryAttribute) is not { } s || s > now.ToUnixTimeSeconds();
}
