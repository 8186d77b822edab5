namespace SecurityAlexa.Sandbox;

/// <summary>A security group in the sandbox.</summary>
internal sealed class SandboxSecurityGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string VpcId { get; init; }
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public bool AllowsAllIngress { get; set; }
    public bool AllowsAllEgress { get; set; } = true;
}
