namespace SecurityAlexa.Scanning;

/// <summary>One finding, for the card.</summary>
internal sealed record FindingDetail(string InstanceId, string Severity, string Title, string? VulnerabilityId, string? Package,
    string? FixAvailable);
