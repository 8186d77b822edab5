using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>The body of a message the skill puts on its own queue: a <see cref="WorkItem"/> as JSON.</summary>
internal sealed class WorkEnvelope
{
    /// <summary>The handler's kind.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>The handler's own JSON, as a string.</summary>
    [JsonPropertyName("payload")]
    public string? Payload { get; set; }

    /// <summary>The account and region the unit acts in (<see cref="WorkItem.Scope"/>); absent for home.</summary>
    [JsonPropertyName("scope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Scope { get; set; }

    /// <summary>The message body for <paramref name="item"/>.</summary>
    public static string BodyOf(WorkItem item) =>
        System.Text.Json.JsonSerializer.Serialize(new WorkEnvelope { Kind = item.Kind, Payload = item.Payload, Scope = item.Scope },
            WorkJsonContext.Default.WorkEnvelope);
}
