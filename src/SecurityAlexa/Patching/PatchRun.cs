using System.Text.Json.Serialization;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

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

    /// <summary>The tag key of the tag-targeted command whose outcome is unknown, when it went by tag.</summary>
    [JsonPropertyName("unknownTagKey")] public string? UnknownTagKey { get; init; }

    /// <summary>The exact tag values of that command: an instance carrying one of them may have been reached.</summary>
    [JsonPropertyName("unknownTagValues")] public List<string>? UnknownTagValues { get; init; }

    /// <summary>True while a command of this run may or may not have been accepted by SSM.</summary>
    [JsonIgnore] public bool OutcomeUnknown => UnknownComment is not null;
}
