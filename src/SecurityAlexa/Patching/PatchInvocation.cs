namespace SecurityAlexa.Patching;

/// <summary>One instance's part of a command (ListCommandInvocations).</summary>
internal sealed record PatchInvocation(string InstanceId, string Status, string? StatusDetails);
