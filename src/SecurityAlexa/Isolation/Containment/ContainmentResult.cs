using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>How one step went on this request.</summary>
internal enum ContainmentOutcome
{
    /// <summary>Taken now.</summary>
    Done,

    /// <summary>Taken on an earlier request; nothing was called.</summary>
    AlreadyDone,

    /// <summary>Not taken (or not known to be): said plainly.</summary>
    Failed,

    /// <summary>Undone by a release.</summary>
    Undone,

    /// <summary>A release could not undo it; the record keeps it for the next release.</summary>
    UndoFailed,
}

/// <summary>
/// One step's result: <paramref name="Detail"/> names what it touched (group, target groups, volumes, role) for card and chat.
/// </summary>
internal sealed record ContainmentResult(ContainmentAction Action, ContainmentOutcome Outcome, string? Detail = null, int Count = 0,
    AwsCallException? Error = null);

/// <summary>What containment did to one instance on this request (steps that did not apply are absent).</summary>
internal sealed record ContainmentReport(IReadOnlyList<ContainmentResult> Steps)
{
    /// <summary>Nothing was applicable or recorded.</summary>
    public static ContainmentReport None { get; } = new([]);

    /// <summary>Steps that failed, to or from containment.</summary>
    public IEnumerable<ContainmentResult> Failures =>
        Steps.Where(s => s.Outcome is ContainmentOutcome.Failed or ContainmentOutcome.UndoFailed);
}
