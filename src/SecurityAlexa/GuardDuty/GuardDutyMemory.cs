using System.Text.Json.Serialization;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// What the conversation remembers of GuardDuty: the finding whose instance "isolate the instance from that finding"
/// means (the most severe one read aloud that is about an instance), and the malware scan this conversation started.
/// </summary>
internal sealed record GuardDutyMemory
{
    /// <summary>The finding's id.</summary>
    [JsonPropertyName("finding")] public string? FindingId { get; init; }

    /// <summary>The finding's type.</summary>
    [JsonPropertyName("type")] public string? FindingType { get; init; }

    /// <summary>The instance the finding is about.</summary>
    [JsonPropertyName("instance")] public string? InstanceId { get; init; }

    /// <summary>
    /// Where the finding was read (the turn's scope key, account id or name and region); null with one account and region.
    /// </summary>
    [JsonPropertyName("where")] public string? ScopeKey { get; init; }

    /// <summary>That scope's account, by its spoken name.</summary>
    [JsonPropertyName("account")] public string? ScopeAccount { get; init; }

    /// <summary>The malware scan started in this conversation.</summary>
    [JsonPropertyName("scan")] public string? MalwareScanId { get; init; }

    /// <summary>The instance that scan is of.</summary>
    [JsonPropertyName("scanInstance")] public string? MalwareScanInstanceId { get; init; }

    /// <summary>Where that scan was started (the turn's scope key); null with one account and region.</summary>
    [JsonPropertyName("scanWhere")] public string? MalwareScanScopeKey { get; init; }

    /// <summary>That scope's account, by its spoken name.</summary>
    [JsonPropertyName("scanAccount")] public string? MalwareScanAccount { get; init; }
}
