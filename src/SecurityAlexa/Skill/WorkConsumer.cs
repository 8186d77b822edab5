using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>
/// Consumes an SQS batch from the work queue: each message is one unit for the <see cref="IWorkHandler"/> of its
/// kind. A unit that is not done is reported in <c>batchItemFailures</c>, so SQS delivers it again and moves it
/// to the dead-letter queue after the redrive count; a bad message is logged and reported the same way, and
/// never stops the rest of the batch. Units run one after another: two units about one instance must not race.
/// Each unit leaves the units after it their worst case (<see cref="UnitWorstCase"/>), so a slow unit never leaves them
/// unstarted: SQS counts every receive, tried or not.
/// </summary>
/// <remarks>
/// A unit that names a scope (<see cref="WorkItem.Scope"/>) runs only with that scope's handlers, from
/// <paramref name="scopes"/>: a scope it does not know (not enrolled, region not allowed, or no scopes at all) makes
/// the unit poison, never a unit run at home.
/// </remarks>
internal sealed class WorkConsumer(IReadOnlyList<IWorkHandler> handlers, WorkQueueAddress? queue, SkillConfig config, SkillLog log,
    TimeProvider time, Func<string, IReadOnlyList<IWorkHandler>?>? scopes = null)
{
    // A unit started with less time than this left would only be cut off: it is reported for redelivery instead.
    private static readonly TimeSpan LeastToStart = TimeSpan.FromMilliseconds(1500);

    /// <summary>
    /// The longest one unit may need: one instance's isolation against a slow AWS (the first in a VPC makes about 16 EC2
    /// calls, 16 s at 1 s a call, and keeps back the isolator's 2.5 s to report), with room to spare. The
    /// templates' BatchSize is what this fits into the function's Timeout, less <see cref="BackgroundDeadline.Margin"/>
    /// (TemplateTests), so every unit of a batch gets at least this much however slow the others are.
    /// </summary>
    public static readonly TimeSpan UnitWorstCase = TimeSpan.FromSeconds(27);

    /// <summary>How long past its deadline a unit may run before it is cancelled (to report what it did).</summary>
    public static TimeSpan Overrun => BackgroundDeadline.Margin / 2;

    /// <summary>The kind given to an EventBridge event that a rule put on the queue: its source and detail type.</summary>
    public static string EventKind(string source, string detailType) => "event:" + source + ":" + detailType;

    /// <summary>True when the event looks like an SQS batch (a <c>Records</c> array whose first record came from SQS).</summary>
    public static bool IsBatch(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Records", out var records)
        && records.ValueKind == JsonValueKind.Array && records.GetArrayLength() > 0
        && records[0].ValueKind == JsonValueKind.Object && records[0].TryGetProperty("eventSource", out var source)
        && source.ValueKind == JsonValueKind.String && source.GetString() == "aws:sqs";

    /// <summary>Handles every message of the batch and returns the ones to deliver again; never throws for a message.</summary>
    public async Task<BatchResponse> ConsumeAsync(JsonElement root, DateTimeOffset? lambdaDeadline, CancellationToken cancellationToken)
    {
        var response = new BatchResponse();
        SqsBatch? batch;
        try
        {
            batch = root.Deserialize(WorkJsonContext.Default.SqsBatch);
        }
        catch (JsonException e)
        {
            // A record of the wrong shape: report every message that can be named, so none is lost.
            log.Security("work.batch-unreadable", ("why", e.Message.Length <= 120 ? e.Message : e.Message[..120]));
            foreach (var record in root.GetProperty("Records").EnumerateArray())
            {
                if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("messageId", out var id)
                    && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } messageId)
                    response.BatchItemFailures.Add(new BatchItemFailure { ItemIdentifier = messageId });
            }
            return response;
        }

        // Nobody waits for this answer: it may use the invocation's whole time, not an Alexa turn's.
        var deadline = BackgroundDeadline.For(time.GetUtcNow(), config, lambdaDeadline);
        var records = batch?.Records ?? [];
        // Bad messages are sorted out first, so that time is kept back only for the units that will run.
        var units = records.Select(m => m?.MessageId is { Length: > 0 } ? Resolve(m) : default).ToList();
        var runnable = units.Count(u => u.Handler is not null);
        var outcomes = new WorkOutcome?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i]?.MessageId is not { Length: > 0 })
            {
                // Without an id it cannot be reported; Lambda's own records always have one.
                log.Security("work.rejected", ("why", "message without an id"));
                continue;
            }
            var message = records[i]!;
            if (units[i] is not { Handler: { } handler, Item: { } item })
            {
                outcomes[i] = units[i].Outcome;
                continue;
            }
            var now = time.GetUtcNow();
            outcomes[i] = now + LeastToStart > deadline
                ? Skip(message)
                : await RunAsync(message, handler, item, ShareOf(now, deadline, runnable), cancellationToken).ConfigureAwait(false);
            runnable--;
        }
        var done = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (outcomes[i] is not { } outcome || records[i]?.MessageId is not { } messageId) continue;
            if (outcome == WorkOutcome.Done) done++;
            else response.BatchItemFailures.Add(new BatchItemFailure { ItemIdentifier = messageId });
        }
        log.Info("work.batch", ("messages", batch?.Records?.Count ?? 0), ("done", done), ("failed", response.BatchItemFailures.Count));
        return response;
    }

    // This unit's deadline: the time left less the worst case (and the stop after it) of each unit still to come, so
    // no unit is left unstarted however long this one runs; what a unit does not use goes to the next. An invocation too
    // short for that (the templates' is not: TemplateTests) gives each unit all that is left, as before.
    private static DateTimeOffset ShareOf(DateTimeOffset now, DateTimeOffset deadline, int unitsLeft)
    {
        var own = deadline - (unitsLeft - 1) * (UnitWorstCase + Overrun) - Overrun;
        return unitsLeft > 1 && own - now >= UnitWorstCase ? own : deadline;
    }

    private WorkOutcome Skip(SqsMessage message)
    {
        log.Warn("work.not-started", ("messageId", message.MessageId), ("why", "out of time"), ("receiveCount", ReceiveCount(message)));
        return WorkOutcome.Retry;
    }

    // The handler and unit a message names, or the outcome that ends it without running (bad message, unknown or unreachable scope).
    private (IWorkHandler? Handler, WorkItem? Item, WorkOutcome Outcome) Resolve(SqsMessage message)
    {
        if (Unit(message) is not { } item) return (null, null, WorkOutcome.Poison);
        var pool = handlers;
        if (item.Scope is { } scope)
        {
            IReadOnlyList<IWorkHandler>? scoped;
            try
            {
                scoped = scopes?.Invoke(scope);
            }
            catch (Exception e)
            {
                // The scope is known but its ports could not be built now (its role refused): SQS tries again.
                log.Error("work.scope-unreachable", ("messageId", message.MessageId), ("kind", item.Kind), ("scope", scope),
                    ("exception", e.GetType().FullName), ("receiveCount", ReceiveCount(message)));
                return (null, null, WorkOutcome.Retry);
            }
            if (scoped is null) return (null, null, Poison(message, "scope not enrolled", scope));
            pool = scoped;
        }
        return pool.FirstOrDefault(h => h.Kind == item.Kind) is { } handler
            ? (handler, item, WorkOutcome.Retry)
            : (null, null, Poison(message, "unknown kind", item.Kind));
    }

    private async Task<WorkOutcome> RunAsync(SqsMessage message, IWorkHandler handler, WorkItem item, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(deadline + Overrun - time.GetUtcNow());
        WorkOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(item, deadline, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Error("work.failed", ("messageId", message.MessageId), ("kind", item.Kind), ("exception", e.GetType().FullName),
                ("message", e.Message), ("receiveCount", ReceiveCount(message)));
            return WorkOutcome.Retry;
        }
        switch (outcome)
        {
            case WorkOutcome.Done:
                log.Info("work.done", ("messageId", message.MessageId), ("kind", item.Kind), ("scope", item.Scope));
                break;
            case WorkOutcome.Retry:
                log.Warn("work.retry", ("messageId", message.MessageId), ("kind", item.Kind), ("receiveCount", ReceiveCount(message)));
                break;
            default:
                // The handler logged why; this line ties it to the message and its redrive count.
                log.Security("work.poison", ("messageId", message.MessageId), ("kind", item.Kind), ("receiveCount", ReceiveCount(message)));
                break;
        }
        return outcome;
    }

    // The unit a message carries, or null (logged) when the message is bad: not from the work queue, not JSON,
    // or an envelope without a kind.
    private WorkItem? Unit(SqsMessage message)
    {
        if (queue is null) return Reject(message, "WORK_QUEUE_URL is not set, so no queue is trusted");
        if (message.EventSource != "aws:sqs" || !queue.IsQueue(message.EventSourceArn))
            return Reject(message, "not from the work queue", message.EventSourceArn);
        if (message.Body is not { Length: > 0 } body) return Reject(message, "empty body");

        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException) { return Reject(message, "malformed JSON"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Reject(message, "not a JSON object");
            // An event a rule sent. Its handler checks whose it is (for a tag event: principal, account and region),
            // because a refusal must also be posted and audited, which only the handler can do; it ends as poison.
            if (Text(root, "detail-type") is { } detailType && Text(root, "source") is { } source)
                return new WorkItem(EventKind(source, detailType), body);
            WorkEnvelope? envelope;
            try { envelope = root.Deserialize(WorkJsonContext.Default.WorkEnvelope); }
            catch (JsonException) { return Reject(message, "malformed envelope"); }
            return envelope is { Kind: { Length: > 0 } kind, Payload: { } payload }
                ? new WorkItem(kind, payload, envelope.Scope is { Length: > 0 } scope ? scope : null)
                : Reject(message, "no kind or payload");
        }
    }

    private WorkItem? Reject(SqsMessage message, string why, string? detail = null)
    {
        Poison(message, why, detail);
        return null;
    }

    private WorkOutcome Poison(SqsMessage message, string why, string? detail)
    {
        log.Security("work.rejected", ("messageId", message.MessageId), ("why", why),
            ("detail", detail is { Length: > 120 } ? detail[..120] : detail), ("receiveCount", ReceiveCount(message)));
        return WorkOutcome.Poison;
    }

    private static string? ReceiveCount(SqsMessage message) => message.Attributes?.GetValueOrDefault("ApproximateReceiveCount");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
