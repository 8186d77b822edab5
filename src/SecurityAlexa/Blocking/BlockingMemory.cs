using System.Text.Json.Serialization;

namespace SecurityAlexa.Blocking;

/// <summary>What blocking remembers between turns: the instance asked about, a query still running, the sources heard.</summary>
internal sealed record BlockingMemory
{
    /// <summary>The instance "who is hitting" was asked about; "block the top one" blocks in its subnet.</summary>
    [JsonPropertyName("id")] public string InstanceId { get; init; } = "";

    /// <summary>Its name, to say.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>A top-sources query still running, to answer from next time.</summary>
    [JsonPropertyName("query")] public string? QueryId { get; init; }

    /// <summary>The sources last spoken, busiest first ("the top one" is the first).</summary>
    [JsonPropertyName("top")] public List<string> Top { get; init; } = [];
}
