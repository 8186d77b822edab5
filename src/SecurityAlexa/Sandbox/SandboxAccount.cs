
namespace SecurityAlexa.Sandbox;

/// <summary>
/// A small simulated AWS account, defined in one place, behind the same ports as real AWS.
/// Its clock runs from a fixed start so that conversations are repeatable; the local runner can move it on.
/// </summary>
internal sealed partial class SandboxAccount
{
    private SandboxAccount(SandboxClock clock) : this(clock, new SandboxWorld())
    {
    }

    private SandboxAccount(SandboxClock clock, SandboxWorld world)
    {
        Clock = clock;
        World = world;
        Isolation = new SandboxIsolation(World);
        SandboxIsolation.SeedTagging(World);
        Inspector = new SandboxInspector(World, Clock);
        GuardDuty = new SandboxGuardDuty(World, Clock);
        Parameters = SandboxParameterStore.WithDemoCode(clock, CodeHashKey);
        Containment = new SandboxContainment(World);
    }

    /// <summary>The account's Auto Scaling group, target group, volume flags and instance role (containment's ports).</summary>
    public SandboxContainment Containment { get; }

    /// <summary>The account's clock.</summary>
    public SandboxClock Clock { get; }

    /// <summary>The account's EC2 world, shared by every capability's sandbox port.</summary>
    public SandboxWorld World { get; }

    /// <summary>Isolation over the world (it also keeps the snapshots taken).</summary>
    public SandboxIsolation Isolation { get; }

    /// <summary>The team chat channel: posts are kept in memory.</summary>
    public SandboxChat Chat { get; } = new();
    /// <summary>The account's Amazon Inspector, with its scans.</summary>
    public SandboxInspector Inspector { get; }
    /// <summary>The account's GuardDuty detector, its findings and malware scans.</summary>
    public SandboxGuardDuty GuardDuty { get; }
    /// <summary>The account's KMS key for the security code's hash.</summary>
    public SandboxCodeHashKey CodeHashKey { get; } = new();

    /// <summary>The account's Parameter Store (the security code's hash, encrypted under <see cref="CodeHashKey"/>).</summary>
    public SandboxParameterStore Parameters { get; }

    /// <summary>The skill's state table (claims, wrong codes and lockouts), in memory.</summary>
    public State.InMemoryStateTable State { get; } = new();

    /// <summary>The work queue and its dead-letter queue, in memory, on the account's clock.</summary>
    public InMemoryWorkQueue Queue { get; private init; } = null!;

    /// <summary>
    /// Sandbox time each EC2 call takes (the clock moves on; nobody waits), so that a turn can run out of time as it
    /// does against a slow AWS and hand work on to the queue. Zero by default.
    /// </summary>
    public TimeSpan Latency
    {
        get;
        set
        {
            field = value;
            World.OnCall = value > TimeSpan.Zero ? () => Clock.Advance(value) : null;
        }
    }

    /// <summary>The subnets' network ACLs, where blocks go.</summary>
    public SandboxNetworkAcls NetworkAcls => _networkAcls ??= new SandboxNetworkAcls(World);

    private SandboxNetworkAcls? _networkAcls;

    /// <summary>OpsCenter, where tickets go.</summary>
    public SandboxOpsCenter OpsCenter { get; } = new();

    /// <summary>The account as every sandbox session starts.</summary>
    public static SandboxAccount CreateDefault(TimeProvider realTime)
    {
        var clock = new SandboxClock(realTime);
        return new SandboxAccount(clock) { Queue = new InMemoryWorkQueue(clock) };
    }
}
