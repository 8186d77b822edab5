using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

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
