using System.Text.Json.Serialization;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>The candidates of an open "which ones?" question.</summary>
internal sealed record PatchChoice
{
    /// <summary>The instances offered (ids, names, and the tag when they are a whole tag group).</summary>
    [JsonPropertyName("offered")] public TargetMemory Offered { get; init; } = new();

    /// <summary>For a large tag group offered without its ids: what the read-back will say (digest, agents sampled, baselines).</summary>
    [JsonPropertyName("large")] public TagGroupSummary? Large { get; init; }

    /// <summary>The tag key as the user said it, to tell an answer from a new request.</summary>
    [JsonPropertyName("heardKey")] public string? HeardTagKey { get; init; }

    /// <summary>The tag value as the user said it.</summary>
    [JsonPropertyName("heardValue")] public string? HeardTagValue { get; init; }
}
