using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>An instance with everything isolation and release need to decide what to do.</summary>
internal sealed record IsolationSubject(
    string InstanceId,
    string? Name,
    InstanceRunState State,
    string? VpcId,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> VolumeIds,
    IReadOnlyList<InterfaceState> Interfaces)
{
    /// <summary>True when EC2 says the instance is terminated: it still answers describes for a while, but nothing on it changes.</summary>
    public bool IsTerminated => State == InstanceRunState.Terminated;

    /// <summary>The Name tag, or the id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? InstanceId : Name!;

    /// <summary>True when the instance carries the isolation marker.</summary>
    public bool IsMarked => Tags.ContainsKey(SkillTags.IsolatedAt);

    /// <summary>When it was isolated, from the marker.</summary>
    public DateTimeOffset? IsolatedAt => IsolationRecord.ReadTime(Tags, SkillTags.IsolatedAt);

    /// <summary>Why it was isolated, from the record.</summary>
    public string? Reason => Tags.GetValueOrDefault(IsolationRecord.Reason);

    /// <summary>Who isolated it, from the record.</summary>
    public string? IsolatedBy => Tags.GetValueOrDefault(IsolationRecord.IsolatedBy);

    /// <summary>True when any part of an isolation record is on the instance or its interfaces.</summary>
    public bool HasRecord => IsMarked || Interfaces.Any(i => i.Saved.State != SavedGroupsState.None);
}
