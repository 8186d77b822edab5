using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>
/// The answer to an SQS batch under <c>ReportBatchItemFailures</c>: the messages to deliver again. An empty
/// list deletes the whole batch.
/// </summary>
internal sealed class BatchResponse
{
    /// <summary>The messages that did not succeed.</summary>
    [JsonPropertyName("batchItemFailures")]
    public List<BatchItemFailure> BatchItemFailures { get; set; } = [];
}
