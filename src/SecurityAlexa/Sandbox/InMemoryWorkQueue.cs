using System.Globalization;
using System.Text.Json;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// The work queue in memory, for the sandbox and the local runner, with SQS's semantics as the template sets them:
/// a received message is invisible for the visibility timeout and comes back unless deleted, each receive counts,
/// and a message received <see cref="MaxReceiveCount"/> times moves to the dead-letter queue instead of a fourth
/// delivery. <see cref="DeliverAsync"/> plays Lambda's event source mapping: batches go to the function as SQS
/// events, and the messages not named in <c>batchItemFailures</c> are deleted.
/// </summary>
internal sealed class InMemoryWorkQueue(TimeProvider clock) : IWorkQueue
{
    /// <summary>The sandbox account's queue URL: the account the sample events come from.</summary>
    public const string DefaultUrl = "https://sqs.us-east-1.amazonaws.com/111122223333/SecurityAlexa-WorkQueue";

    private readonly Lock _gate = new();
    private readonly List<QueuedMessage> _messages = [];
    private readonly List<string> _dead = [];
    private int _nextId;

    /// <summary>As in the template's redrive policy.</summary>
    public int MaxReceiveCount { get; init; } = 3;

    /// <summary>As in the template (six times the function's timeout).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>The function's timeout, as in the template: each delivered batch is an invocation with this long to run.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>As in the template's event source mapping.</summary>
    public int BatchSize { get; init; } = 2;

    /// <summary>The queue's URL (WORK_QUEUE_URL in the sandbox).</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>Bodies in the dead-letter queue, oldest first.</summary>
    public IReadOnlyList<string> DeadLetters
    {
        get { lock (_gate) return [.. _dead]; }
    }

    /// <summary>Messages still in the queue, visible or in flight.</summary>
    public int Count
    {
        get { lock (_gate) return _messages.Count; }
    }

    /// <inheritdoc />
    public Task<EnqueueResult> EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var item in items) Add(WorkEnvelope.BodyOf(item));
        }
        return Task.FromResult(EnqueueResult.AllSent);
    }

    /// <summary>Puts a raw body on the queue, as an EventBridge rule or another sender would.</summary>
    public void Send(string body)
    {
        lock (_gate) Add(body);
    }

    /// <summary>
    /// Receives up to <see cref="BatchSize"/> visible messages as one SQS event, or null when none is visible.
    /// A message already received <see cref="MaxReceiveCount"/> times goes to the dead-letter queue instead.
    /// </summary>
    public SqsBatch? Receive()
    {
        var now = clock.GetUtcNow();
        var batch = new List<SqsMessage?>();
        lock (_gate)
        {
            foreach (var message in _messages.Where(m => m.VisibleAt <= now).ToList())
            {
                if (message.ReceiveCount >= MaxReceiveCount)
                {
                    _messages.Remove(message);
                    _dead.Add(message.Body);
                    continue;
                }
                if (batch.Count == BatchSize) break;
                message.ReceiveCount++;
                message.VisibleAt = now + VisibilityTimeout;
                batch.Add(new SqsMessage
                {
                    MessageId = message.Id,
                    Body = message.Body,
                    EventSource = "aws:sqs",
                    EventSourceArn = Arn,
                    Attributes = new Dictionary<string, string?>
                    {
                        ["ApproximateReceiveCount"] = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
                    },
                });
            }
        }
        return batch.Count == 0 ? null : new SqsBatch { Records = batch };
    }

    /// <summary>Deletes a received message (a success in its batch).</summary>
    public void Delete(string messageId)
    {
        lock (_gate) _messages.RemoveAll(m => m.Id == messageId);
    }

    /// <summary>
    /// Delivers every visible message to <paramref name="invoke"/> (the function), batch by batch, deleting what
    /// succeeded. A response that is not a batch answer fails the whole batch, as in Lambda. Returns how many
    /// messages were delivered.
    /// </summary>
    public async Task<int> DeliverAsync(Func<byte[], CancellationToken, Task<byte[]>> invoke, CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (Receive() is { } batch)
        {
            var ids = batch.Records!.Select(r => r!.MessageId!).ToList();
            delivered += ids.Count;
            var answer = await invoke(JsonSerializer.SerializeToUtf8Bytes(batch, WorkJsonContext.Default.SqsBatch), cancellationToken)
                .ConfigureAwait(false);
            HashSet<string> failed = [.. ids];
            try
            {
                using var document = JsonDocument.Parse(answer);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("batchItemFailures", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    failed = list.Deserialize(WorkJsonContext.Default.ListBatchItemFailure)!
                        .Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
                }
            }
            catch (JsonException)
            {
                // Not a batch answer: the whole batch failed.
            }
            foreach (var id in ids.Where(id => !failed.Contains(id))) Delete(id);
        }
        return delivered;
    }

    /// <summary>
    /// Delivers every visible message to the function as Lambda's event source mapping would: each batch is one
    /// invocation whose deadline is <see cref="FunctionTimeout"/> after it starts.
    /// </summary>
    public Task<int> DeliverToAsync(InvocationDispatcher function, CancellationToken cancellationToken) =>
        DeliverAsync((body, ct) => function.InvokeAsync(body, new InvocationInfo(LambdaDeadline: clock.GetUtcNow() + FunctionTimeout), ct),
            cancellationToken);

    private string Arn
    {
        get
        {
            var address = WorkQueueAddress.From(Url)!;
            return "arn:aws:sqs:us-east-1:" + address.Account + ":" + address.Name;
        }
    }

    private void Add(string body) =>
        _messages.Add(new QueuedMessage("sandbox-" + (++_nextId).ToString(CultureInfo.InvariantCulture), body, clock.GetUtcNow()));

    private sealed class QueuedMessage(string id, string body, DateTimeOffset visibleAt)
    {
        public string Id { get; } = id;
        public string Body { get; } = body;
        public DateTimeOffset VisibleAt { get; set; } = visibleAt;
        public int ReceiveCount { get; set; }
    }
}
