
namespace SecurityAlexa.Sandbox;

/// <summary>
/// A small simulated AWS account, defined in one place, behind the same ports as real AWS.
/// Its clock runs from a fixed start so that conversations are repeatable; the local runner can move it on.
/// </summary>
internal sealed class SandboxAccount
{
    private SandboxAccount(SandboxClock clock)
    {
        Clock = clock;
        World = new SandboxWorld();
        Isolation = new SandboxIsolation(World);
        SandboxIsolation.SeedTagging(World);
        Inspector = new SandboxInspector(World, Clock);
        Parameters = SandboxParameterStore.WithDemoCode(clock);
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
    /// <summary>The account's Parameter Store (the security code's hash).</summary>
    public SandboxParameterStore Parameters { get; }

    /// <summary>The skill's state table (claims, wrong codes and lockouts), in memory.</summary>
    public State.InMemoryStateTable State { get; } = new();

    /// <summary>The account as every sandbox session starts.</summary>
    public static SandboxAccount CreateDefault(TimeProvider realTime) => new(new SandboxClock(realTime));
}
