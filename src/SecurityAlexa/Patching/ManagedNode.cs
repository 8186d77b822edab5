namespace SecurityAlexa.Patching;

/// <summary>An instance as Systems Manager knows it (DescribeInstanceInformation).</summary>
internal sealed record ManagedNode(string InstanceId, string? PingStatus, string? PlatformName, string? PlatformVersion,
    string? PlatformType)
{
    /// <summary>True when the SSM agent answers, so a command can reach the instance.</summary>
    public bool IsOnline => string.Equals(PingStatus, "Online", StringComparison.Ordinal);
}
