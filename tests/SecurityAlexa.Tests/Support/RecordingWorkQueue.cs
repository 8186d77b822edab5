using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Support;

/// <summary>A work queue that keeps what was enqueued, and can be made to refuse.</summary>
internal sealed class RecordingWorkQueue : IWorkQueue
{
    public List<WorkItem> Items { get; } = [];

    public bool Fails { get; set; }

    /// <summary>Items the queue refuses, one by one (as SendMessageBatch's Failed entries); the others go.</summary>
    public Func<WorkItem, bool>? Refuses { get; set; }

    public Task<EnqueueResult> EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken)
    {
        if (Fails)
            return Task.FromResult(new EnqueueResult(items,
                new AwsCallException(AwsOperations.SqsSendMessage, AwsFailure.AccessDenied, "AccessDenied", null, "test")));
        var refused = items.Where(i => Refuses?.Invoke(i) == true).ToList();
        lock (Items) Items.AddRange(items.Except(refused));
        return Task.FromResult(refused.Count == 0 ? EnqueueResult.AllSent
            : new EnqueueResult(refused,
                new AwsCallException(AwsOperations.SqsSendMessage, AwsFailure.ServiceError, "InternalError", null, "test")));
    }

    /// <summary>The enqueued items as the SQS messages Lambda would deliver (one batch).</summary>
    public string AsBatch() => SqsEvents.Batch(Items.Select((item, i) => ("q-" + i, WorkEnvelope.BodyOf(item))));
}
