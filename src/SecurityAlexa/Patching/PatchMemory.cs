using System.Text.Json.Serialization;

namespace SecurityAlexa.Patching;

/// <summary>What the patching capability remembers within one conversation.</summary>
internal sealed record PatchMemory
{
    /// <summary>The instances offered in "which ones should I patch?", while that question is open.</summary>
    [JsonPropertyName("choosing")] public PatchChoice? Choosing { get; init; }

    /// <summary>The last patch run this conversation started, for "how is the patching going?".</summary>
    [JsonPropertyName("run")] public PatchRun? LastRun { get; init; }

    /// <summary>
    /// The runs whose outcome is still unknown, kept apart from <see cref="LastRun"/> so that a later run cannot overwrite
    /// them: while one is unresolved, a patch reaching any of its instances waits for its answer.
    /// </summary>
    [JsonPropertyName("unresolved")] public List<PatchRun>? Unresolved { get; init; }

    /// <summary>True when nothing is remembered.</summary>
    [JsonIgnore] public bool IsEmpty => Choosing is null && LastRun is null && (Unresolved is null || Unresolved.Count == 0);
}
