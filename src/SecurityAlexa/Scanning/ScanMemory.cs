using System.Text.Json.Serialization;

namespace SecurityAlexa.Scanning;

/// <summary>The scan this conversation started, so "what did it find?" needs no tag.</summary>
internal sealed record ScanMemory
{
    /// <summary>The CIS scan configuration ARN CreateCisScanConfiguration returned.</summary>
    [JsonPropertyName("config")] public string ConfigurationArn { get; init; } = "";

    /// <summary>The scan's name.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>The exact tag key scanned.</summary>
    [JsonPropertyName("key")] public string TagKey { get; init; } = "";

    /// <summary>The exact tag values scanned.</summary>
    [JsonPropertyName("values")] public List<string> TagValues { get; init; } = [];

    /// <summary>When the scan was asked for.</summary>
    [JsonPropertyName("at")] public DateTimeOffset StartedAt { get; init; }

    /// <summary>How many running instances had the tag when it started.</summary>
    [JsonPropertyName("count")] public int InstanceCount { get; init; }
}
