namespace SecurityAlexa.Isolation.Containment;

/// <summary>Amazon EC2 Auto Scaling, as containment needs it: one instance's membership, standby, detach and scale-in protection.</summary>
internal interface IAutoScaling
{
    /// <summary>The group the instance belongs to, or null when it is in none.</summary>
    Task<AutoScalingMember?> FindAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Sets or clears the instance's scale-in protection.</summary>
    Task SetScaleInProtectionAsync(string groupName, string instanceId, bool protect, CancellationToken cancellationToken);

    /// <summary>Moves the instance into Standby, lowering the desired capacity by one (ExitStandby raises it again).</summary>
    Task EnterStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken);

    /// <summary>Returns the instance from Standby to service.</summary>
    Task ExitStandbyAsync(string groupName, string instanceId, CancellationToken cancellationToken);

    /// <summary>Detaches the instance keeping the desired capacity, so the group launches a replacement.</summary>
    Task DetachAsync(string groupName, string instanceId, CancellationToken cancellationToken);

    /// <summary>Attaches the instance to the group again.</summary>
    Task AttachAsync(string groupName, string instanceId, CancellationToken cancellationToken);
}

/// <summary>An instance's place in an Auto Scaling group.</summary>
internal sealed record AutoScalingMember(string GroupName, string LifecycleState, bool ProtectedFromScaleIn)
{
    /// <summary>The lifecycle state EnterStandby starts from.</summary>
    public const string InService = "InService";

    /// <summary>The lifecycle state of an instance in standby.</summary>
    public const string Standby = "Standby";
}
