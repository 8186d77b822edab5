using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Skill;

/// <summary>
/// What an enqueue did. Items not in <see cref="NotSent"/> are on the queue; those in it are not known to be (refused, or
/// a call that failed or timed out: one that timed out may still have gone, which the consumer's idempotence makes
/// harmless). A caller says which did not continue, never that all did.
/// </summary>
/// <param name="NotSent">The items not known to be on the queue, in the order given.</param>
/// <param name="Failure">Why the first of them did not go; null when all went.</param>
internal sealed record EnqueueResult(IReadOnlyList<WorkItem> NotSent, AwsCallException? Failure)
{
    /// <summary>Every item went.</summary>
    public static EnqueueResult AllSent { get; } = new([], null);

    /// <summary>True when every item is on the queue.</summary>
    public bool AllWent => NotSent.Count == 0;
}
