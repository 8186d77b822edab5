namespace SecurityAlexa.Patching;

/// <summary>A patch baseline registered for a patch group, for one operating system (DescribePatchGroups).</summary>
internal sealed record PatchGroupBaseline(string PatchGroup, string BaselineId, string? BaselineName, string? OperatingSystem);
