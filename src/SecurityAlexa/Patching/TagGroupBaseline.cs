using System.Text.Json.Serialization;

namespace SecurityAlexa.Patching;

/// <summary>How many of a large group's instances are in one patch group, and the baseline registered for it.</summary>
internal sealed record TagGroupBaseline
{
    /// <summary>The patch group, or null for instances with none (the OS default applies).</summary>
    [JsonPropertyName("group")] public string? PatchGroup { get; init; }

    /// <summary>The registered baseline's name, or null when the group has none (the OS default applies).</summary>
    [JsonPropertyName("baseline")] public string? Baseline { get; init; }

    /// <summary>How many instances.</summary>
    [JsonPropertyName("count")] public int Count { get; init; }
}
