namespace SecurityAlexa.Isolation;

/// <summary>A network interface as isolation sees it: its groups now, and its tags (where the record lives).</summary>
internal sealed record InterfaceState(string Id, string? VpcId, IReadOnlyList<GroupRef> Groups, IReadOnlyDictionary<string, string> Tags,
    int DeviceIndex = 0)
{
    /// <summary>The current group ids.</summary>
    public IReadOnlyList<string> GroupIds => Groups.Select(g => g.Id).ToList();

    /// <summary>The saved original groups.</summary>
    public SavedGroups Saved => IsolationRecord.ReadInterface(Tags);
}
