namespace SecurityAlexa.Targets;

/// <summary>The instances a request resolved to, and how to describe them back.</summary>
internal sealed record TargetSelection(
    string Description,
    TagSelector? Tag,
    IReadOnlyList<InstanceInfo> Instances)
{
    /// <summary>The instance ids, in order.</summary>
    public IReadOnlyList<string> Ids => Instances.Select(i => i.Id).ToList();
}
