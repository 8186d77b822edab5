using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>A blocked-traffic query started in an earlier turn.</summary>
internal sealed record BlockedTrafficQuery
{
    /// <summary>The instance it counts for.</summary>
    [JsonPropertyName("id")] public string InstanceId { get; init; } = "";

    /// <summary>The instance's name, to say.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>The Logs Insights query id.</summary>
    [JsonPropertyName("query")] public string QueryId { get; init; } = "";

    /// <summary>When the instance was isolated (the start of the count).</summary>
    [JsonPropertyName("since")] public DateTimeOffset Since { get; init; }
}
