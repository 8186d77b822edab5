using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>
/// A change the skill has read back and asked about. Acting on a "yes" requires this record, bound
/// to the intent and the exact targets that were read back.
/// </summary>
internal sealed record PendingAction
{
    /// <summary>The kind of change: patch, isolate, release, enable-scanning, start-scan.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";

    /// <summary>The intent whose confirmation carries it out.</summary>
    [JsonPropertyName("intent")] public string Intent { get; init; } = "";

    /// <summary>
    /// Exactly the instance ids read back; empty when there were too many and <see cref="Count"/> and <see cref="Digest"/> stand for them.
    /// </summary>
    [JsonPropertyName("ids")] public List<string> InstanceIds { get; init; } = [];

    /// <summary>The number of instances read back, when the ids were too many to carry.</summary>
    [JsonPropertyName("count")] public int? Count { get; init; }

    /// <summary>The digest (<see cref="InstanceSet.Digest"/>) of the ids read back, when they were too many to carry.</summary>
    [JsonPropertyName("digest")] public string? Digest { get; init; }

    /// <summary>The number of instances read back, whether or not the ids are carried.</summary>
    [JsonIgnore] public int Size => Count ?? InstanceIds.Count;

    /// <summary>Capability-specific arguments (tag key and value, options).</summary>
    [JsonPropertyName("args")] public Dictionary<string, string> Args { get; init; } = [];

    /// <summary>Hash of the read-back sentence, so the action matches what was heard.</summary>
    [JsonPropertyName("readBack")] public string ReadBackHash { get; init; } = "";

    /// <summary>A confirmation after this moment is refused and the read-back repeated.</summary>
    [JsonPropertyName("expires")] public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The hashed voice that heard the read-back (null when no voice was recognised); only it may say yes.</summary>
    [JsonPropertyName("speaker")] public string? SpeakerHash { get; init; }

    /// <summary>When set, the user must say this number back to go ahead.</summary>
    [JsonPropertyName("sayCount")] public int? CountToSayBack { get; init; }

    /// <summary>The request that created it.</summary>
    [JsonPropertyName("requestId")] public string? RequestId { get; init; }

    /// <summary>The key of the account and region the read-back named (<see cref="TurnScope.Key"/>); a yes elsewhere is refused.</summary>
    [JsonPropertyName("scope")] public string? Scope { get; init; }

    /// <summary>Hash of the slot values read back, so a confirmation carrying other slots is refused.</summary>
    [JsonPropertyName("slots")] public string? SlotsHash { get; init; }
}
