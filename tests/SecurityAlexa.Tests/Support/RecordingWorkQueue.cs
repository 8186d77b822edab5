using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Support;

/// <summary>A work queue that keeps what was enqueued, and can be made to refuse.</summary>
internal sealed class RecordingWorkQueue : IWorkQueue
{
    public List<WorkItem> Items { get; } = [];

    public bool Fails { get; set; }

    public Task EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken)
    {
        if (Fails) throw new AwsCallException(AwsOperations.SqsSendMessage, AwsFailure.AccessDenied, "AccessDenied", null, "test");
        lock (Items) Items.AddRange(items);
        return Task.CompletedTask;
    }

    /// <summary>The enqueued items as the SQS messages Lambda would deliver (one batch).</summary>
    public string AsBatch() => SqsEvents.Batch(Items.Select((item, i) => ("q-" + i, WorkEnvelope.BodyOf(item))));
}
