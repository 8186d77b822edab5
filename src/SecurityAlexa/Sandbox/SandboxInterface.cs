namespace SecurityAlexa.Sandbox;

/// <summary>A network interface in the sandbox, with its current security groups.</summary>
internal sealed class SandboxInterface(string id, string subnetId, List<string> groups)
{
    public string Id { get; } = id;
    public string SubnetId { get; } = subnetId;
    public List<string> Groups { get; set; } = groups;
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
