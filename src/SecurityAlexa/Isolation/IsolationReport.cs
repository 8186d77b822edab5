using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The result of one isolation request. <see cref="Continuing"/> is true when any deferred instance went on the work queue;
/// <see cref="NotHandedOn"/> names the deferred ones that did not (the queue refused them), which do not continue.
/// </summary>
internal sealed record IsolationReport(IReadOnlyList<InstanceIsolation> Instances, bool Continuing = false,
    AwsCallException? ContinuationError = null, IReadOnlyList<string>? NotHandedOn = null)
{
    /// <summary>Instances by outcome.</summary>
    public IReadOnlyList<InstanceIsolation> With(IsolationOutcome outcome) => Instances.Where(i => i.Outcome == outcome).ToList();

    /// <summary>The deferred instances that are on the work queue and so continue in the background.</summary>
    public IReadOnlyList<InstanceIsolation> HandedOn => Continuing
        ? With(IsolationOutcome.Deferred).Where(d => NotHandedOn?.Contains(d.InstanceId, StringComparer.Ordinal) != true).ToList()
        : [];

    /// <summary>The deferred instances that are not on the work queue: nothing continues them.</summary>
    public IReadOnlyList<InstanceIsolation> Stranded => Continuing
        ? With(IsolationOutcome.Deferred).Where(d => NotHandedOn?.Contains(d.InstanceId, StringComparer.Ordinal) == true).ToList()
        : With(IsolationOutcome.Deferred);
}
