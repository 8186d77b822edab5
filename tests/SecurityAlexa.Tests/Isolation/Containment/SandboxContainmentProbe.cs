using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Sandbox;

namespace SecurityAlexa.Tests.Isolation.Containment;

/// <summary>
/// What the tests read of, and set in, the sandbox's Auto Scaling group, target group and volumes, through the same ports
/// the function uses: the sandbox itself carries nothing only tests need. Its ports answer at once, so reads are synchronous.
/// </summary>
internal static class SandboxContainmentProbe
{
    /// <summary>The instance's place in web-asg (lifecycle state, scale-in protection), or null when it is not in the group.</summary>
    public static (string State, bool Protected)? MemberOf(this SandboxContainment aws, string instanceId) =>
        Now(aws.FindAsync(instanceId, CancellationToken.None)) is { } m ? (m.LifecycleState, m.ProtectedFromScaleIn) : null;

    /// <summary>True when the instance is in web-tg on the port.</summary>
    public static bool IsRegistered(this SandboxContainment aws, string instanceId, int port = 80) =>
        Now(aws.FindAsync(instanceId, null, CancellationToken.None)).Any(r => r.Port == port);

    /// <summary>DeleteOnTermination of one of the instance's volumes.</summary>
    public static bool DeletesOnTermination(this SandboxContainment aws, string instanceId, string volumeId) =>
        Now(((IInstanceStorage)aws).DescribeAsync(instanceId, CancellationToken.None)).Volumes.Single(v => v.VolumeId == volumeId)
            .DeleteOnTermination;

    /// <summary>
    /// Puts a web-asg instance in standby and protects it, as it was before the skill came; the change log starts empty after.
    /// </summary>
    public static async Task PutInStandbyProtectedAsync(this SandboxContainment aws, string instanceId)
    {
        await aws.SetScaleInProtectionAsync(SandboxContainment.GroupName, instanceId, true, CancellationToken.None);
        await aws.EnterStandbyAsync(SandboxContainment.GroupName, instanceId, CancellationToken.None);
        aws.Changes.Clear();
    }

    private static T Now<T>(Task<T> answer) =>
        answer.IsCompleted ? answer.GetAwaiter().GetResult() : throw new InvalidOperationException("The sandbox answers at once.");
}
