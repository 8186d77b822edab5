namespace SecurityAlexa.Patching;

/// <summary>The instances that can be patched and the ones that cannot, in the order they were given.</summary>
internal sealed record PatchAssessment(IReadOnlyList<PatchTarget> Eligible, IReadOnlyList<SkippedInstance> Skipped);
