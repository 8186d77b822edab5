using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>
/// One step in the containment record: written as Started before the step is taken, then Done or Failed, with what a
/// release needs to undo exactly that step (the values as they were before).
/// </summary>
internal sealed record ContainmentEntry
{
    /// <summary>Which step.</summary>
    public ContainmentAction Action { get; init; }

    /// <summary>Where the step stands.</summary>
    public ContainmentStatus Status { get; init; }

    /// <summary>The Auto Scaling group (protection, standby, detach).</summary>
    public string? Group { get; init; }

    /// <summary>Scale-in protection as it was before.</summary>
    public bool? ProtectedBefore { get; init; }

    /// <summary>The target groups and ports the instance was taken out of.</summary>
    public List<TargetRegistration>? Targets { get; init; }

    /// <summary>The volumes whose DeleteOnTermination was changed, with their old value.</summary>
    public List<VolumeSetting>? Volumes { get; init; }

    /// <summary>The instance profile's role.</summary>
    public string? Role { get; init; }

    /// <summary>The inline policy put on the role.</summary>
    public string? PolicyName { get; init; }

    /// <summary>Sessions issued before this time are denied; a retry keeps the first time.</summary>
    public DateTimeOffset? IssuedBefore { get; init; }

    /// <summary>The error code of the last failure.</summary>
    public string? Error { get; init; }
}

/// <summary>Where a recorded step stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContainmentStatus>))]
internal enum ContainmentStatus
{
    /// <summary>Recorded and about to be (or being) taken: it may or may not have happened.</summary>
    Started,

    /// <summary>Taken.</summary>
    Done,

    /// <summary>Tried and refused or timed out: it may still have happened, so release undoes it too.</summary>
    Failed,
}

/// <summary>Everything containment did to one instance, as stored under containment#&lt;instanceId&gt;.</summary>
internal sealed record ContainmentRecord
{
    /// <summary>The instance.</summary>
    public string InstanceId { get; init; } = "";

    /// <summary>The recorded steps, one per action.</summary>
    public List<ContainmentEntry> Steps { get; init; } = [];
}

/// <summary>Source-generated JSON for the containment record (AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainmentRecord))]
internal sealed partial class ContainmentJsonContext : JsonSerializerContext;
