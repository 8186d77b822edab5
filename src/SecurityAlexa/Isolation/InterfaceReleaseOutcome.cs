namespace SecurityAlexa.Isolation;

/// <summary>How one interface's release ended.</summary>
internal enum InterfaceReleaseOutcome
{
    /// <summary>Its original groups are back.</summary>
    Restored,
    /// <summary>It was never moved (or was restored before); only a stale record was cleared.</summary>
    NothingToRestore,
    /// <summary>It is in a skill group but its record is missing or unreadable; it was left alone.</summary>
    NoUsableRecord,
    /// <summary>An AWS call failed; it keeps its record.</summary>
    Failed,
}
