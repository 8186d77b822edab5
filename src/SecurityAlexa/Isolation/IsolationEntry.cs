using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>
/// One instance's isolation record as the state table holds it (docs/state.md, "The isolation record"): the source of
/// truth for release. The EC2 tags mirror part of it.
/// </summary>
internal sealed record IsolationEntry(
    string InstanceId,
    string State,
    long Version,
    IReadOnlyList<RecordedInterface> Interfaces,
    bool? TerminationProtectionBefore,
    string IsolatedBy,
    DateTimeOffset IsolatedAt,
    string Reason,
    IReadOnlyList<string> CreatedGroups,
    DateTimeOffset UpdatedAt,
    string? ReleasedBy = null,
    DateTimeOffset? ReleasedAt = null,
    DateTimeOffset? WorkingUntil = null,
    string? Account = null,
    string? Region = null)
{
    /// <summary>
    /// The key (<c>accountId/region</c>) of the scope the instance lives in, or null for a record without one, which is
    /// the home account's in the home region (records written before accounts were, and every single-account record).
    /// </summary>
    public string? ScopeKey => Account is { Length: > 0 } account && Region is { Length: > 0 } region ? account + "/" + region : null;

    /// <summary>Isolation has started and the record holds the originals; not every interface is in the isolation group yet.</summary>
    public const string Isolating = "isolating";

    /// <summary>Every interface is in the isolation group.</summary>
    public const string Isolated = "isolated";

    /// <summary>A release is restoring the originals.</summary>
    public const string Releasing = "releasing";

    /// <summary>Released; kept 90 days for the audit.</summary>
    public const string Released = "released";

    /// <summary>True while the record holds an isolation (not yet released).</summary>
    public bool IsHeld => State != Released;

    /// <summary>The recorded original groups of an interface, or null when the record does not know it.</summary>
    public IReadOnlyList<string>? OriginalsOf(string interfaceId) =>
        Interfaces.FirstOrDefault(i => i.Id == interfaceId)?.Groups;

    /// <summary>
    /// True while a writer is at work on it (an isolation or a release in a turn, or the sweeper). A writer that died (its
    /// container stopped) stops counting when its lease ends.
    /// </summary>
    public bool IsActive(DateTimeOffset now) => WorkingUntil is { } until && until > now;

    /// <summary>How long an interface may sit in the allow-all group before the sweeper moves it on, whoever holds the record.</summary>
    public static readonly TimeSpan AllowAllLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True when the record is still isolating and an interface entered the allow-all group more than
    /// <see cref="AllowAllLimit"/> ago: it may still be there.
    /// </summary>
    public bool HasOverdueAllowAll(DateTimeOffset now) => State == Isolating && Interfaces.Any(i => i.AllowAllSince is { } since
        && now - DateTimeOffset.FromUnixTimeSeconds(since) > AllowAllLimit);

    /// <summary>
    /// True when an interface entered the allow-all group within <see cref="AllowAllLimit"/>: its writer may be moving it on.
    /// </summary>
    public bool HasRecentAllowAll(DateTimeOffset now) => Interfaces.Any(i => i.AllowAllSince is { } since
        && now - DateTimeOffset.FromUnixTimeSeconds(since) <= AllowAllLimit);
}

/// <summary>One network interface in the record: its original groups, and when it entered the allow-all group.</summary>
internal sealed record RecordedInterface
{
    /// <summary>The interface id.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    /// <summary>Its security group ids before isolation, in order.</summary>
    [JsonPropertyName("groups")] public List<string> Groups { get; init; } = [];

    /// <summary>Epoch seconds when it entered the allow-all group, or null when it has not.</summary>
    [JsonPropertyName("allowAllSince")] public long? AllowAllSince { get; init; }
}
