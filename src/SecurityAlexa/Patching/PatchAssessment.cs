using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>The instances that can be patched and the ones that cannot, in the order they were given.</summary>
internal sealed record PatchAssessment(IReadOnlyList<PatchTarget> Eligible, IReadOnlyList<SkippedInstance> Skipped)
{
    /// <summary>Instances carrying the isolation tag with no record of this skill's: not exempt, and the read-back says so.</summary>
    public IReadOnlyList<InstanceInfo> ForeignMarked { get; init; } = [];
}
