namespace SecurityAlexa.Isolation;

/// <summary>Whether an interface carries a usable record of its original groups.</summary>
internal enum SavedGroupsState
{
    /// <summary>No record.</summary>
    None,
    /// <summary>Record tags exist but do not add up; nothing can be restored from them.</summary>
    Unreadable,
    /// <summary>A complete record.</summary>
    Saved,
}
