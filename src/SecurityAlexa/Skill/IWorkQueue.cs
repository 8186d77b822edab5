namespace SecurityAlexa.Skill;

/// <summary>Where a turn puts what it cannot finish: SQS in Lambda, an in-memory queue in the sandbox.</summary>
internal interface IWorkQueue
{
    /// <summary>
    /// Enqueues every item it can, and says which are not known to be on the queue (a refusal, or a call that failed or
    /// timed out, is an answer, not an exception). An item that went is never sent again by this call.
    /// </summary>
    Task<EnqueueResult> EnqueueAsync(IReadOnlyList<WorkItem> items, CancellationToken cancellationToken);
}
