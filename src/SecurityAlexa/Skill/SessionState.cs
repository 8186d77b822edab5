using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>
/// What the skill remembers between turns of one conversation. It travels in Alexa's session
/// attributes, signed (see <see cref="SessionStore"/>), so a client cannot edit it unnoticed.
/// Each capability keeps its own slice.
/// </summary>
internal sealed class SessionState
{
    // Slices read or written this turn, by slot name; written back into Slices before the state is signed.
    private readonly Dictionary<string, (SessionSlot Slot, object? Value)> _open = new(StringComparer.Ordinal);

    /// <summary>An action read back to the user and waiting for a yes.</summary>
    [JsonPropertyName("pending")] public PendingAction? Pending { get; set; }

    /// <summary>The instances the last answer talked about, for "them" and "it".</summary>
    [JsonPropertyName("focus")] public TargetMemory? Focus { get; set; }

    /// <summary>Each module's own slice, by its <see cref="SessionSlot.Name"/>, as carried in the signed state.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Slices { get; set; }

    /// <summary>True when nothing is remembered.</summary>
    [JsonIgnore]
    public bool IsEmpty
    {
        get
        {
            Close();
            return Pending is null && Focus is null && Slices is not { Count: > 0 };
        }
    }

    internal T? Read<T>(SessionSlot<T> slot) where T : class
    {
        if (_open.TryGetValue(slot.Name, out var open)) return open.Value as T;
        var value = Slices is { } slices && slices.TryGetValue(slot.Name, out var element) ? slot.Parse(element) : null;
        _open[slot.Name] = (slot, value);
        return value;
    }

    internal void Write<T>(SessionSlot<T> slot, T? value) where T : class => _open[slot.Name] = (slot, value);

    /// <summary>Writes the slices used this turn back into <see cref="Slices"/>, ready to be signed.</summary>
    internal void Close()
    {
        foreach (var (name, (slot, value)) in _open)
        {
            if (slot.Serialize(value) is { } element) (Slices ??= new(StringComparer.Ordinal))[name] = element;
            else Slices?.Remove(name);
        }
    }
}

/// <summary>A set of instances the conversation is about, and how they were described.</summary>
internal sealed record TargetMemory
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

    /// <summary>How many instances the set has, when the ids were too many to carry (see <see cref="InstanceSet"/>).</summary>
    [JsonPropertyName("count")] public int? Count { get; init; }

    /// <summary>The digest of the omitted ids, so a set read again from the tag can be checked against it.</summary>
    [JsonPropertyName("digest")] public string? Digest { get; init; }

    /// <summary>True when the ids were left out and the set must be read again from its tag.</summary>
    [JsonIgnore] public bool IdsOmitted => Count is not null && InstanceIds.Count == 0;

    /// <summary>The number of instances, whether or not the ids are carried.</summary>
    [JsonIgnore] public int Size => Count ?? InstanceIds.Count;

    /// <summary>
    /// A set to remember. Up to <see cref="InstanceSet.MaxIds"/> ids are kept; a larger set chosen by tag keeps
    /// only its tag, its size, its digest and the first few names, so the session stays far below Alexa's 24 KB.
    /// </summary>
    public static TargetMemory Of(string description, IReadOnlyList<string> ids, IReadOnlyList<string> names,
        string? tagKey = null, string? tagValue = null, bool? vulnerable = null)
    {
        var omit = ids.Count > InstanceSet.MaxIds && tagKey is not null && tagValue is not null;
        return new TargetMemory
        {
            Description = description,
            InstanceIds = omit ? [] : [.. ids],
            Names = omit ? [.. names.Take(InstanceSet.SampleNames)] : [.. names],
            TagKey = tagKey,
            TagValue = tagValue,
            Vulnerable = vulnerable,
            Count = omit ? ids.Count : null,
            Digest = omit ? InstanceSet.Digest(ids) : null,
        };
    }
}

/// <summary>How large instance sets are carried in the session: by tag, size and digest instead of ids.</summary>
internal static class InstanceSet
{
    /// <summary>The most instance ids one remembered set carries (about 20 bytes each, plus a name).</summary>
    public const int MaxIds = 50;

    /// <summary>Names kept for speech ("web-1, web-2 and 998 more") when the ids are left out.</summary>
    public const int SampleNames = 5;

    /// <summary>An order-independent digest of a set of ids.</summary>
    public static string Digest(IEnumerable<string> ids)
    {
        var text = string.Join('\n', ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}

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

    /// <summary>Exactly the instance ids read back; empty when there were too many and <see cref="Count"/> and <see cref="Digest"/> stand for them.</summary>
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

    /// <summary>Hash of the slot values read back, so a confirmation carrying other slots is refused.</summary>
    [JsonPropertyName("slots")] public string? SlotsHash { get; init; }
}
