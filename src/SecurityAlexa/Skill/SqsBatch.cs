using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>The event Lambda's SQS event source mapping delivers: a batch of messages.</summary>
internal sealed class SqsBatch
{
    /// <summary>The messages; null when the event has no <c>Records</c>.</summary>
    [JsonPropertyName("Records")]
    public List<SqsMessage?>? Records { get; set; }
}
