namespace SecurityAlexa.Isolation;

/// <summary>How one instance's release ended.</summary>
internal enum ReleaseOutcome
{
    /// <summary>Every interface has its original groups back and the markers are gone.</summary>
    Released,
    /// <summary>No isolation record: nothing was changed.</summary>
    NoRecord,
    /// <summary>Some of it was undone; the record stays so that a retry finishes.</summary>
    Partial,
    /// <summary>Nothing could be undone; the record stays.</summary>
    Failed,
    /// <summary>Another request is isolating or releasing it right now (its record says so); untouched.</summary>
    Busy,
    /// <summary>The instance no longer exists.</summary>
    NotFound,
}
