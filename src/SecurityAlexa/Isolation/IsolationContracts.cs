using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>A security group as an interface names it.</summary>
internal sealed record GroupRef(string Id, string? Name);

/// <summary>A network interface as isolation sees it: its groups now, and its tags (where the record lives).</summary>
internal sealed record InterfaceState(string Id, string? VpcId, IReadOnlyList<GroupRef> Groups, IReadOnlyDictionary<string, string> Tags, int DeviceIndex = 0)
{
    /// <summary>The current group ids.</summary>
    public IReadOnlyList<string> GroupIds => Groups.Select(g => g.Id).ToList();

    /// <summary>The saved original groups.</summary>
    public SavedGroups Saved => IsolationRecord.ReadInterface(Tags);
}

/// <summary>An instance with everything isolation and release need to decide what to do.</summary>
internal sealed record IsolationSubject(
    string InstanceId,
    string? Name,
    string State,
    string? VpcId,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> VolumeIds,
    IReadOnlyList<InterfaceState> Interfaces)
{
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

/// <summary>A security group the skill created in a VPC, with just enough of its rules to check it is what it claims.</summary>
internal sealed record SkillGroup(string Id, string VpcId, string Role, int IngressRules, int EgressRules, bool EgressIsDefaultOnly);

/// <summary>A security group to create, with its tags.</summary>
internal sealed record NewSkillGroup(string VpcId, string Name, string Description, IReadOnlyDictionary<string, string> Tags);

/// <summary>Who asks for an isolation, why, and when; with RequiredTag set, only instances carrying that tag now are touched.</summary>
internal sealed record IsolationRequest(string RequestedBy, string Reason, DateTimeOffset At, TagSelector? RequiredTag = null);

/// <summary>When new work must stop starting, by which clock: what cannot finish by then is handed on.</summary>
internal sealed record IsolationBudget(DateTimeOffset FinishBy, TimeProvider Clock);

/// <summary>Who asks for a release, and when.</summary>
internal sealed record ReleaseRequest(string RequestedBy, DateTimeOffset At);

/// <summary>How one instance's isolation ended.</summary>
internal enum IsolationOutcome
{
    /// <summary>Every interface is in the isolation group now.</summary>
    Isolated,
    /// <summary>It was isolated before; nothing was changed.</summary>
    AlreadyIsolated,
    /// <summary>Some interfaces are isolated, some are not.</summary>
    Partial,
    /// <summary>No interface could be isolated.</summary>
    Failed,
    /// <summary>Not started in this turn; handed on to finish in the background.</summary>
    Deferred,
    /// <summary>The instance no longer exists.</summary>
    NotFound,
    /// <summary>The instance does not carry the tag that asked for its isolation (a replayed or stale event); untouched.</summary>
    NotRequested,
}

/// <summary>How one interface's isolation ended.</summary>
internal enum InterfaceOutcome
{
    /// <summary>Recorded and moved to the isolation group.</summary>
    Isolated,
    /// <summary>It was in the isolation group already, with its record.</summary>
    AlreadyIsolated,
    /// <summary>Nothing about it changed (the record or the first move failed, or its VPC had no usable groups).</summary>
    Unchanged,
    /// <summary>Moved to the allow-all group and could be moved neither on nor back: it is open. The worst case, always spoken.</summary>
    LeftOpen,
    /// <summary>It sits in the isolation group but no record of its original groups exists; a release cannot restore it.</summary>
    IsolatedWithoutRecord,
}

/// <summary>What happened to one interface.</summary>
internal sealed record InterfaceResult(string InterfaceId, IReadOnlyList<string> OriginalGroups, InterfaceOutcome Outcome, AwsCallException? Error = null)
{
    /// <summary>True when the interface is cut off now.</summary>
    public bool IsCutOff => Outcome is InterfaceOutcome.Isolated or InterfaceOutcome.AlreadyIsolated or InterfaceOutcome.IsolatedWithoutRecord;
}

/// <summary>What happened to one instance.</summary>
internal sealed record InstanceIsolation(
    string InstanceId,
    IsolationSubject? Subject,
    IsolationOutcome Outcome,
    IReadOnlyList<InterfaceResult> Interfaces,
    string? IsolationGroupId = null,
    bool? TerminationProtectionBefore = null,
    bool TerminationProtectionOn = false,
    IReadOnlyList<string>? Snapshots = null,
    IReadOnlyList<AwsCallException>? Problems = null,
    string? UnsafeGroupId = null)
{
    /// <summary>The name to speak.</summary>
    public string DisplayName => Subject?.DisplayName ?? InstanceId;

    /// <summary>Snapshot ids taken.</summary>
    public IReadOnlyList<string> SnapshotIds => Snapshots ?? [];

    /// <summary>Failures that did not stop the network isolation (protection, snapshots) or stopped it (first one).</summary>
    public IReadOnlyList<AwsCallException> Errors => Problems ?? [];

    /// <summary>True when this call changed something on the instance or its interfaces.</summary>
    public bool Changed => Outcome is IsolationOutcome.Isolated or IsolationOutcome.Partial
        || Interfaces.Any(i => i.Outcome is InterfaceOutcome.Isolated or InterfaceOutcome.LeftOpen);
}

/// <summary>The result of one isolation request.</summary>
internal sealed record IsolationReport(IReadOnlyList<InstanceIsolation> Instances, bool Continuing = false, AwsCallException? ContinuationError = null)
{
    /// <summary>Instances by outcome.</summary>
    public IReadOnlyList<InstanceIsolation> With(IsolationOutcome outcome) => Instances.Where(i => i.Outcome == outcome).ToList();
}

/// <summary>How one instance's release ended.</summary>
internal enum ReleaseOutcome
{
    /// <summary>Every interface has its original groups back and the markers are gone.</summary>
    Released,
    /// <summary>No isolation record: nothing was changed.</summary>
    NoRecord,
    /// <summary>Some of it was undone; the record stays so that a retry finishes.</summary>
    Partial,
    /// <summary>Nothing could be undone; the record stays.</summary>
    Failed,
    /// <summary>The instance no longer exists.</summary>
    NotFound,
}

/// <summary>How one interface's release ended.</summary>
internal enum InterfaceReleaseOutcome
{
    /// <summary>Its original groups are back.</summary>
    Restored,
    /// <summary>It was never moved (or was restored before); only a stale record was cleared.</summary>
    NothingToRestore,
    /// <summary>It is in a skill group but its record is missing or unreadable; it was left alone.</summary>
    NoUsableRecord,
    /// <summary>An AWS call failed; it keeps its record.</summary>
    Failed,
}

/// <summary>What happened to one interface on release.</summary>
internal sealed record InterfaceReleaseResult(string InterfaceId, IReadOnlyList<string> RestoredGroups, InterfaceReleaseOutcome Outcome, AwsCallException? Error = null)
{
    /// <summary>True when the interface is back to normal.</summary>
    public bool IsDone => Outcome is InterfaceReleaseOutcome.Restored or InterfaceReleaseOutcome.NothingToRestore;
}

/// <summary>What happened to one instance on release.</summary>
internal sealed record InstanceRelease(
    string InstanceId,
    IsolationSubject? Subject,
    ReleaseOutcome Outcome,
    IReadOnlyList<InterfaceReleaseResult> Interfaces,
    bool? TerminationProtectionNow = null,
    IReadOnlyList<AwsCallException>? Problems = null)
{
    /// <summary>The name to speak.</summary>
    public string DisplayName => Subject?.DisplayName ?? InstanceId;

    /// <summary>Failures met on the way.</summary>
    public IReadOnlyList<AwsCallException> Errors => Problems ?? [];
}

/// <summary>The result of one release request.</summary>
internal sealed record ReleaseReport(IReadOnlyList<InstanceRelease> Instances)
{
    /// <summary>Instances by outcome.</summary>
    public IReadOnlyList<InstanceRelease> With(ReleaseOutcome outcome) => Instances.Where(i => i.Outcome == outcome).ToList();
}
