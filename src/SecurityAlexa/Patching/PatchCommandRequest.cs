namespace SecurityAlexa.Patching;

/// <summary>One AWS-RunPatchBaseline command to send.</summary>
internal sealed record PatchCommandRequest(
    PatchCommandTarget Target,
    string Operation,
    string RebootOption,
    string MaxConcurrency,
    string MaxErrors,
    string Comment);
