using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>One message of an SQS batch, with the fields the consumer reads.</summary>
internal sealed class SqsMessage
{
    /// <summary>What a failure report names (<c>itemIdentifier</c>).</summary>
    [JsonPropertyName("messageId")]
    public string? MessageId { get; set; }

    /// <summary>The message body: a <see cref="WorkEnvelope"/>, or an EventBridge event sent by a rule.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary><c>aws:sqs</c>.</summary>
    [JsonPropertyName("eventSource")]
    public string? EventSource { get; set; }

    /// <summary>The queue's ARN, checked against <c>WORK_QUEUE_URL</c>.</summary>
    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; set; }

    /// <summary>System attributes; <c>ApproximateReceiveCount</c> is logged.</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, string?>? Attributes { get; set; }
}
