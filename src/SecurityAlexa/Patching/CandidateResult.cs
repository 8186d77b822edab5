using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>How "patch ..." words turned into instances.</summary>
internal abstract record CandidateResult
{
    private CandidateResult() { }

    /// <summary>Nothing was named and the conversation has no instances in focus.</summary>
    public sealed record NeedTargets : CandidateResult;

    /// <summary>The resolver could not settle on instances (ambiguous or not found).</summary>
    public sealed record Unresolved(TargetResult Result) : CandidateResult;

    /// <summary>"The vulnerable ones" was asked for but findings cannot be read here.</summary>
    public sealed record VulnerabilityUnknown(string Description) : CandidateResult;

    /// <summary>The named instances exist but none has open findings.</summary>
    public sealed record NoneVulnerable(string Description, int Count) : CandidateResult;

    /// <summary>Candidates were found.</summary>
    public sealed record Found(PatchCandidates Candidates) : CandidateResult;
}
