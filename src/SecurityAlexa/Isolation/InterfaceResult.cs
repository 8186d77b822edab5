using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>What happened to one interface.</summary>
internal sealed record InterfaceResult(string InterfaceId, IReadOnlyList<string> OriginalGroups, InterfaceOutcome Outcome,
    AwsCallException? Error = null)
{
    /// <summary>True when the interface is cut off now.</summary>
    public bool IsCutOff => Outcome is InterfaceOutcome.Isolated or InterfaceOutcome.AlreadyIsolated
        or InterfaceOutcome.IsolatedWithoutRecord;
}
