namespace SecurityAlexa.Isolation;

/// <summary>The original groups read from an interface's tags.</summary>
internal sealed record SavedGroups(SavedGroupsState State, IReadOnlyList<string> GroupIds)
{
    /// <summary>No record.</summary>
    public static readonly SavedGroups None = new(SavedGroupsState.None, []);

    /// <summary>A broken record.</summary>
    public static readonly SavedGroups Unreadable = new(SavedGroupsState.Unreadable, []);

    /// <summary>True when the groups can be restored.</summary>
    public bool IsSaved => State == SavedGroupsState.Saved;
}
