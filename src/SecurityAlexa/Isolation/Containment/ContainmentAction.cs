using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>The steps taken before the security-group swap, in the order they are taken (release undoes them backwards).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContainmentAction>))]
internal enum ContainmentAction
{
    /// <summary>Auto Scaling scale-in protection on.</summary>
    ScaleInProtection,

    /// <summary>Auto Scaling Standby, so the group neither terminates nor replaces the instance.</summary>
    Standby,

    /// <summary>Detached from its Auto Scaling group, desired capacity kept (only where Standby is impossible).</summary>
    Detach,

    /// <summary>Deregistered from every ELBv2 target group it is in.</summary>
    Deregister,

    /// <summary>DeleteOnTermination=false on its EBS volumes.</summary>
    KeepVolumes,

    /// <summary>Sessions of its instance role issued before now denied (REVOKE_INSTANCE_ROLE_SESSIONS).</summary>
    RevokeSessions,
}
