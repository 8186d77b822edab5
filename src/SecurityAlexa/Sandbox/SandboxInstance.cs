namespace SecurityAlexa.Sandbox;

/// <summary>An instance in the sandbox, with everything any capability needs to know about it.</summary>
internal sealed class SandboxInstance
{
    public required string Id { get; init; }
    public required string State { get; set; }
    public required string VpcId { get; init; }
    public required string PrivateIp { get; init; }
    public string Platform { get; init; } = "Linux/UNIX";

    /// <summary>The OS name Patch Manager reports ("Amazon Linux 2023").</summary>
    public string OsName { get; init; } = "Amazon Linux 2023";

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public List<SandboxInterface> Interfaces { get; } = [];
    public List<string> VolumeIds { get; } = [];
    public bool TerminationProtection { get; set; }

    /// <summary>SSM agent state: "Online", "ConnectionLost", or null when there is no agent.</summary>
    public string? SsmPing { get; set; }
}
