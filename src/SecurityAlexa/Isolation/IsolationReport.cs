using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>The result of one isolation request.</summary>
internal sealed record IsolationReport(IReadOnlyList<InstanceIsolation> Instances, bool Continuing = false,
    AwsCallException? ContinuationError = null)
{
    /// <summary>Instances by outcome.</summary>
    public IReadOnlyList<InstanceIsolation> With(IsolationOutcome outcome) => Instances.Where(i => i.Outcome == outcome).ToList();
}
