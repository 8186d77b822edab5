using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>What isolation remembers between turns: a flow-log query still running.</summary>
internal sealed record IsolationMemory
{
    /// <summary>The blocked-traffic query to answer from next time.</summary>
    [JsonPropertyName("blocked")] public BlockedTrafficQuery? BlockedQuery { get; init; }
}
