namespace SecurityAlexa.Isolation;

/// <summary>
/// EC2's state names (<c>instanceState.name</c>) as <see cref="InstanceRunState"/>, for the adapter and the sandbox alike.
/// </summary>
internal static class InstanceRunStates
{
    /// <summary>The state EC2 named; <see cref="InstanceRunState.Unknown"/> for a name this skill does not know, or none.</summary>
    public static InstanceRunState FromEc2Name(string? name) => name switch
    {
        "pending" => InstanceRunState.Pending,
        "running" => InstanceRunState.Running,
        "stopping" => InstanceRunState.Stopping,
        "stopped" => InstanceRunState.Stopped,
        "shutting-down" => InstanceRunState.ShuttingDown,
        "terminated" => InstanceRunState.Terminated,
        _ => InstanceRunState.Unknown,
    };
}
