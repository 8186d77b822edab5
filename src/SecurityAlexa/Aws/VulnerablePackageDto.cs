namespace SecurityAlexa.Aws;

/// <summary>A vulnerable package.</summary>
internal sealed class VulnerablePackageDto
{
    public string? Name { get; set; }
    public string? Version { get; set; }
    public string? FixedInVersion { get; set; }
}
