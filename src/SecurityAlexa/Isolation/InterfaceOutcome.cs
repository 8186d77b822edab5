namespace SecurityAlexa.Isolation;

/// <summary>How one interface's isolation ended.</summary>
internal enum InterfaceOutcome
{
    /// <summary>Recorded and moved to the isolation group.</summary>
    Isolated,
    /// <summary>It was in the isolation group already, with its record.</summary>
    AlreadyIsolated,
    /// <summary>Nothing about it changed (the record or the first move failed, or its VPC had no usable groups).</summary>
    Unchanged,
    /// <summary>Moved to the allow-all group and could be moved neither on nor back: it is open. The worst case, always spoken.</summary>
    LeftOpen,
    /// <summary>It sits in the isolation group but no record of its original groups exists; a release cannot restore it.</summary>
    IsolatedWithoutRecord,
}
