using System.Text.Json.Serialization;
using SecurityAlexa.Security;

namespace SecurityAlexa.Skill;

/// <summary>
/// What the skill remembers between turns of one conversation. It travels in Alexa's session
/// attributes, signed (see <see cref="SessionStore"/>), so a client cannot edit it unnoticed.
/// Each capability keeps its own slice.
/// </summary>
public sealed class SessionState
{
    /// <summary>An action read back to the user and waiting for a yes.</summary>
    [JsonPropertyName("pending")] public PendingAction? Pending { get; set; }

    /// <summary>The instances the last answer talked about, for "them" and "it".</summary>
    [JsonPropertyName("focus")] public TargetMemory? Focus { get; set; }

    /// <summary>The scan this conversation started.</summary>
    [JsonPropertyName("scan")] public Scanning.ScanMemory? Scan { get; set; }

    /// <summary>A blocked-traffic query still running, to answer from next time.</summary>
    [JsonPropertyName("isolation")] public Isolation.IsolationMemory? Isolation { get; set; }

    /// <summary>A security code verified in this session, for one speaker, for a short time.</summary>
    [JsonPropertyName("security")] public SecuritySessionState? Security { get; set; }

    /// <summary>The patching capability's slice: an open "which ones?" question and the last patch run.</summary>
    [JsonPropertyName("patch")] public Patching.PatchMemory? Patch { get; set; }

    /// <summary>True when nothing is remembered.</summary>
    [JsonIgnore] public bool IsEmpty => Pending is null && Focus is null && Scan is null && Isolation is null && Security is null && Patch is null;
}

/// <summary>A set of instances the conversation is about, and how they were described.</summary>
public sealed record TargetMemory
{
    /// <summary>How the user would refer to them ("tagged environment prod").</summary>
    [JsonPropertyName("desc")] public string Description { get; init; } = "";

    /// <summary>Instance ids, in the order they were spoken.</summary>
    [JsonPropertyName("ids")] public List<string> InstanceIds { get; init; } = [];

    /// <summary>Display names, parallel to InstanceIds.</summary>
    [JsonPropertyName("names")] public List<string> Names { get; init; } = [];

    /// <summary>The tag key when the set was chosen by tag.</summary>
    [JsonPropertyName("tagKey")] public string? TagKey { get; init; }

    /// <summary>The tag value when the set was chosen by tag.</summary>
    [JsonPropertyName("tagValue")] public string? TagValue { get; init; }

    /// <summary>True when these are the instances a scan report named as vulnerable (a subset of the tag).</summary>
    [JsonPropertyName("vuln")] public bool? Vulnerable { get; init; }
}

/// <summary>
/// A change the skill has read back and asked about. Acting on a "yes" requires this record, bound
/// to the intent and the exact targets that were read back.
/// </summary>
public sealed record PendingAction
{
    /// <summary>The kind of change: patch, isolate, release, enable-scanning, start-scan.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>The intent whose confirmation carries it out.</summary>
    [JsonPropertyName("intent")] public string Intent { get; init; } = "";

    /// <summary>Exactly the instance ids read back.</summary>
    [JsonPropertyName("ids")] public List<string> InstanceIds { get; init; } = [];

    /// <summary>Capability-specific arguments (tag key and value, options).</summary>
    [JsonPropertyName("args")] public Dictionary<string, string> Args { get; init; } = [];

    /// <summary>Hash of the read-back sentence, so the action matches what was heard.</summary>
    [JsonPropertyName("readBack")] public string ReadBackHash { get; init; } = "";

    /// <summary>A confirmation after this moment is refused and the read-back repeated.</summary>
    [JsonPropertyName("expires")] public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When set, the user must say this number back to go ahead.</summary>
    [JsonPropertyName("sayCount")] public int? CountToSayBack { get; init; }

    /// <summary>The request that created it.</summary>
    [JsonPropertyName("requestId")] public string? RequestId { get; init; }

    /// <summary>Hash of the slot values read back, so a confirmation carrying other slots is refused.</summary>
    [JsonPropertyName("slots")] public string? SlotsHash { get; init; }
}
