namespace SecurityAlexa.Aws;

/// <summary>Per-resource-type state.</summary>
internal sealed class ResourceStateDto
{
    public StateDto? Ec2 { get; set; }
}
