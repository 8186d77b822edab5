namespace SecurityAlexa.Skill;

/// <summary>Where a turn puts what it cannot finish: SQS in Lambda, an in-memory queue in the sandbox.</summary>
internal interface IWorkQueue
{
    /// <summary>Enqueues every item, or throws <c>AwsCallException</c> when the queue refused or did not answer.</summary>
    Task EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken);
}
