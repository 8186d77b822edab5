namespace SecurityAlexa.Aws;

/// <summary>Per-resource-type status strings.</summary>
internal sealed class ResourceStatusDto
{
    public string? Ec2 { get; set; }
}
