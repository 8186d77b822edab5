using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>What isolation remembers between turns: a flow-log query still running, instances isolated in the background.</summary>
internal sealed record IsolationMemory
{
    /// <summary>The blocked-traffic query to answer from next time.</summary>
    [JsonPropertyName("blocked")] public BlockedTrafficQuery? BlockedQuery { get; init; }

    /// <summary>Instances this conversation handed on to the work queue, for "which instances are isolated?".</summary>
    [JsonPropertyName("queued")] public List<string>? QueuedIds { get; init; }

    /// <summary>Their names, in the same order.</summary>
    [JsonPropertyName("queuedNames")] public List<string>? QueuedNames { get; init; }

    /// <summary>This memory without the query, or null when nothing is left.</summary>
    public IsolationMemory? WithoutQuery() => QueuedIds is { Count: > 0 } ? this with { BlockedQuery = null } : null;
}
