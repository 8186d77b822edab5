namespace SecurityAlexa.Aws;

/// <summary>A finding.</summary>
internal sealed class FindingDto
{
    public string? FindingArn { get; set; }
    public string? Severity { get; set; }
    public string? Status { get; set; }
    public string? Title { get; set; }
    public string? Type { get; set; }
    public string? FixAvailable { get; set; }
    public List<FindingResourceDto>? Resources { get; set; }
    public PackageVulnerabilityDetailsDto? PackageVulnerabilityDetails { get; set; }
}
