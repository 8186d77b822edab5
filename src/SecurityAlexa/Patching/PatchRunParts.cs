namespace SecurityAlexa.Patching;

/// <summary>What the send loop knows when a command's outcome turns out unknown.</summary>
internal sealed record PatchRunParts(
    string Reference,
    IReadOnlyList<PatchTarget> Eligible,
    IReadOnlyList<(string CommandId, PatchCommandTarget Target)> Sent,
    PatchCommandTarget Unknown,
    string Comment,
    IReadOnlyList<string> SkippedIds);
