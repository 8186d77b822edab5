using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>What happened to one interface on release.</summary>
internal sealed record InterfaceReleaseResult(string InterfaceId, IReadOnlyList<string> RestoredGroups, InterfaceReleaseOutcome Outcome,
    AwsCallException? Error = null)
{
    /// <summary>True when the interface is back to normal.</summary>
    public bool IsDone => Outcome is InterfaceReleaseOutcome.Restored or InterfaceReleaseOutcome.NothingToRestore;
}
