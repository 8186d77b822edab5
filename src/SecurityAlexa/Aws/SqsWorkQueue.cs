using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Aws;

/// <summary>
/// <see cref="IWorkQueue"/> over SQS (WORK_QUEUE_URL): SendMessageBatch, ten messages a call. The client is built
/// on first use and honours AWS_ENDPOINT_URL_SQS.
/// </summary>
internal sealed class SqsWorkQueue(Func<IAmazonSQS> sqs, string queueUrl) : IWorkQueue
{
    // SQS takes at most ten entries in one SendMessageBatch.
    private const int MaxBatch = 10;

    /// <summary>The queue (WORK_QUEUE_URL).</summary>
    public string QueueUrl { get; } = queueUrl;

    /// <inheritdoc />
    public async Task EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(MaxBatch))
        {
            var request = new SendMessageBatchRequest
            {
                QueueUrl = QueueUrl,
                Entries = chunk.Select((item, i) => new SendMessageBatchRequestEntry
                {
                    Id = i.ToString(CultureInfo.InvariantCulture),
                    MessageBody = WorkEnvelope.BodyOf(item),
                }).ToList(),
            };
            var response = await AwsCall.RunAsync(AwsOperations.SqsSendMessage, ct => sqs().SendMessageBatchAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
            // The SDK returns null, not an empty list, when every entry was accepted.
            if (response.Failed is { Count: > 0 } failed)
            {
                var first = failed[0];
                throw new AwsCallException(AwsOperations.SqsSendMessage,
                    first.SenderFault == true ? AwsFailure.InvalidRequest : AwsFailure.ServiceError, first.Code, null,
                    $"{failed.Count} of {chunk.Length} messages were not accepted: {first.Message}");
            }
        }
    }
}
