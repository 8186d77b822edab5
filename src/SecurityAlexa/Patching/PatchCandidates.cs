using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>The instances a patch request is about, before eligibility is checked.</summary>
internal sealed record PatchCandidates(
    string Description,
    IReadOnlyList<InstanceInfo> Instances,
    TagSelector? Tag,
    TagSelector? WholeTag,
    bool Vulnerable,
    bool NamedDirectly,
    bool FromFocus)
{
    /// <summary>
    /// For a whole tag: every instance carrying it in any live state (what a tag-targeted command addresses), read in the same
    /// EC2 pages as <see cref="Instances"/>, the running ones. Null when not read.
    /// </summary>
    public IReadOnlyList<InstanceInfo>? Addressed { get; init; }
}
