using System.Text.Json.Serialization;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>What the patching capability remembers within one conversation.</summary>
internal sealed record PatchMemory
{
    /// <summary>The instances offered in "which ones should I patch?", while that question is open.</summary>
    [JsonPropertyName("choosing")] public PatchChoice? Choosing { get; init; }

    /// <summary>The last patch run this conversation started, for "how is the patching going?".</summary>
    [JsonPropertyName("run")] public PatchRun? LastRun { get; init; }

    /// <summary>True when nothing is remembered.</summary>
    [JsonIgnore] public bool IsEmpty => Choosing is null && LastRun is null;
}

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

/// <summary>A patch run: the commands sent for one confirmed request.</summary>
internal sealed record PatchRun
{
    /// <summary>The reference in every command's comment.</summary>
    [JsonPropertyName("ref")] public string Reference { get; init; } = "";

    /// <summary>The SSM command ids, one per batch.</summary>
    [JsonPropertyName("commands")] public List<string> CommandIds { get; init; } = [];

    /// <summary>When the commands were sent.</summary>
    [JsonPropertyName("sent")] public DateTimeOffset SentAt { get; init; }

    /// <summary>The instances patched, with their names for speech.</summary>
    [JsonPropertyName("targets")] public TargetMemory Targets { get; init; } = new();

    /// <summary>
    /// The comment of a command whose SendCommand failed in a way that SSM may still have accepted it (a time-out, a 5xx,
    /// a broken connection); null when every command's outcome is known. It is looked up by this comment, never re-sent.
    /// </summary>
    [JsonPropertyName("unknownComment")] public string? UnknownComment { get; init; }

    /// <summary>The instances of the command whose outcome is unknown (also in <see cref="Targets"/>).</summary>
    [JsonPropertyName("unknownIds")] public List<string>? UnknownIds { get; init; }

    /// <summary>True while a command of this run may or may not have been accepted by SSM.</summary>
    [JsonIgnore] public bool OutcomeUnknown => UnknownComment is not null;
}
