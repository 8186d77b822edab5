namespace SecurityAlexa.Isolation;

/// <summary>How one instance's isolation ended.</summary>
internal enum IsolationOutcome
{
    /// <summary>Every interface is in the isolation group now.</summary>
    Isolated,
    /// <summary>It was isolated before; nothing was changed.</summary>
    AlreadyIsolated,
    /// <summary>Some interfaces are isolated, some are not.</summary>
    Partial,
    /// <summary>No interface could be isolated.</summary>
    Failed,
    /// <summary>Not started in this turn; handed on to finish in the background.</summary>
    Deferred,
    /// <summary>The instance no longer exists.</summary>
    NotFound,
    /// <summary>EC2 still lists the instance, but it is terminated: there is nothing left to isolate; untouched.</summary>
    Terminated,
    /// <summary>Another request is isolating or releasing it right now (its record says so); untouched.</summary>
    Busy,
    /// <summary>The instance does not carry the tag that asked for its isolation (a replayed or stale event); untouched.</summary>
    NotRequested,
    /// <summary>Tagged SecurityAlexa:Protected and not yet isolated by this skill: the skill never changes it; untouched.</summary>
    Protected,
}
