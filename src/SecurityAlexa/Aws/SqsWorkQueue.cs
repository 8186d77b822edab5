using System.Globalization;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Aws;

/// <summary>
/// <see cref="IWorkQueue"/> over SQS (WORK_QUEUE_URL): SendMessageBatch, at most ten messages and 256 KiB a call. Entries
/// SQS reports failed are sent again on their own (never the whole batch, whose other entries are on the queue), a
/// bounded number of times; what still did not go is returned, not thrown. The client is built on first use and honours
/// AWS_ENDPOINT_URL_SQS.
/// </summary>
internal sealed class SqsWorkQueue(Func<IAmazonSQS> sqs, string queueUrl) : IWorkQueue
{
    /// <summary>SQS takes at most ten entries in one SendMessageBatch.</summary>
    internal const int MaxBatch = 10;

    /// <summary>SQS's limit on one message and on a whole batch's payload (the queue's default MaximumMessageSize).</summary>
    internal const int MaxBatchBytes = 256 * 1024;

    /// <summary>Sends of an entry SQS failed on its side, after the first: the failed entries alone, each time.</summary>
    internal const int RetriesOfFailedEntries = 2;

    /// <summary>The queue (WORK_QUEUE_URL).</summary>
    public string QueueUrl { get; } = queueUrl;

    /// <inheritdoc />
    public async Task<EnqueueResult> EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken)
    {
        var notSent = new List<int>();
        AwsCallException? failure = null;
        var callFailed = false;
        var bodies = items.Select(WorkEnvelope.BodyOf).ToList();
        foreach (var batch in Batches(bodies))
        {
            // After a call that failed whole (denied, timed out), the rest is not tried: the turn's time is better spent saying so.
            if (callFailed)
            {
                notSent.AddRange(batch);
                continue;
            }
            var (left, why, whole) = await SendAsync(batch, bodies, cancellationToken).ConfigureAwait(false);
            notSent.AddRange(left);
            failure ??= why;
            callFailed = whole;
        }
        // Oversized bodies never reach SQS: SQS would refuse them.
        foreach (var i in Enumerable.Range(0, bodies.Count).Where(i => Bytes(bodies[i]) > MaxBatchBytes))
        {
            notSent.Add(i);
            failure ??= new AwsCallException(AwsOperations.SqsSendMessage, AwsFailure.InvalidRequest, "MessageTooLong", null,
                $"message {i} is {Bytes(bodies[i])} bytes; SQS takes at most {MaxBatchBytes}");
        }
        return notSent.Count == 0 ? EnqueueResult.AllSent
            : new EnqueueResult(notSent.Distinct().Order().Select(i => items[i]).ToList(), failure);
    }

    // One batch (indexes into bodies): the first send, then the entries SQS failed on its side, alone, up to the bound.
    // Returns the indexes that did not go, why the first of them did not, and whether a call failed whole.
    private async Task<(List<int> NotSent, AwsCallException? Failure, bool CallFailed)> SendAsync(IReadOnlyList<int> batch,
        IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        var pending = batch.ToList();
        var refused = new List<int>();
        AwsCallException? failure = null;
        for (var attempt = 0; attempt <= RetriesOfFailedEntries && pending.Count > 0; attempt++)
        {
            var request = new SendMessageBatchRequest
            {
                QueueUrl = QueueUrl,
                // The item's index is the entry's id, so that a failed entry names its item in every attempt.
                Entries = pending.Select(i => new SendMessageBatchRequestEntry
                {
                    Id = i.ToString(CultureInfo.InvariantCulture),
                    MessageBody = bodies[i],
                }).ToList(),
            };
            SendMessageBatchResponse response;
            try
            {
                response = await AwsCall.RunAsync(AwsOperations.SqsSendMessage, ct => sqs().SendMessageBatchAsync(request, ct),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AwsCallException e)
            {
                // The whole call failed: none of these is known to be on the queue.
                return ([.. refused, .. pending], failure ?? e, true);
            }
            // The SDK returns null, not an empty list, when every entry was accepted.
            var failed = response.Failed ?? [];
            var retry = new List<int>();
            foreach (var entry in failed)
            {
                if (!int.TryParse(entry.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || !pending.Contains(i)) continue;
                failure ??= new AwsCallException(AwsOperations.SqsSendMessage,
                    entry.SenderFault == true ? AwsFailure.InvalidRequest : AwsFailure.ServiceError, entry.Code, null,
                    $"{failed.Count} of {pending.Count} messages were not accepted: {entry.Message}");
                // The sender's fault (a bad entry, a key SQS may not use) is the same next time: only SQS's own failures are retried.
                if (entry.SenderFault == true) refused.Add(i);
                else retry.Add(i);
            }
            pending = retry;
        }
        return ([.. refused, .. pending], failure, false);
    }

    // Up to ten bodies and 256 KiB a batch, in order; a body over the limit alone is left out (EnqueueAsync reports it).
    private static IEnumerable<List<int>> Batches(IReadOnlyList<string> bodies)
    {
        var batch = new List<int>();
        var size = 0;
        for (var i = 0; i < bodies.Count; i++)
        {
            var bytes = Bytes(bodies[i]);
            if (bytes > MaxBatchBytes) continue;
            if (batch.Count == MaxBatch || size + bytes > MaxBatchBytes)
            {
                yield return batch;
                batch = [];
                size = 0;
            }
            batch.Add(i);
            size += bytes;
        }
        if (batch.Count > 0) yield return batch;
    }

    private static int Bytes(string body) => Encoding.UTF8.GetByteCount(body);

}
