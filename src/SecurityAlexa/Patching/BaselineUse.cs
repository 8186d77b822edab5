namespace SecurityAlexa.Patching;

/// <summary>One baseline and the instances it will be applied to.</summary>
internal sealed record BaselineUse(
    string? BaselineId,
    string? BaselineName,
    string? PatchGroup,
    string? DefaultForPlatform,
    IReadOnlyList<PatchTarget> Targets)
{
    /// <summary>True when no patch group applies and the operating system's default baseline is used.</summary>
    public bool IsDefault => PatchGroup is null;
}
