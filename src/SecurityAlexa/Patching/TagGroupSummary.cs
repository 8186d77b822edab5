using System.Text.Json.Serialization;

namespace SecurityAlexa.Patching;

/// <summary>What the read-back of a large tag group says, kept in the session between "which ones?" and the yes.</summary>
internal sealed record TagGroupSummary
{
    /// <summary>The digest of what a tag-targeted command addressed when it was read (<see cref="TagGroup.Digest"/>).</summary>
    [JsonPropertyName("digest")] public string Digest { get; init; } = "";

    /// <summary>Instances with the tag that were not running.</summary>
    [JsonPropertyName("stopped")] public int NotRunning { get; init; }

    /// <summary>Agents looked at (one page).</summary>
    [JsonPropertyName("sampled")] public int Sampled { get; init; }

    /// <summary>Of those, how many answered.</summary>
    [JsonPropertyName("online")] public int SampledOnline { get; init; }

    /// <summary>Operating systems seen among the sampled agents.</summary>
    [JsonPropertyName("platforms")] public List<string> Platforms { get; init; } = [];

    /// <summary>Baselines by patch group, largest first (at most four).</summary>
    [JsonPropertyName("baselines")] public List<TagGroupBaseline> Baselines { get; init; } = [];

    /// <summary>How many carry the isolation tag with no record of this skill's (the command reaches them).</summary>
    [JsonPropertyName("foreign")] public int ForeignMarked { get; init; }

    /// <summary>The first few of those, by name.</summary>
    [JsonPropertyName("foreignNames")] public List<string> ForeignNames { get; init; } = [];
}
