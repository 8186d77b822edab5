using SecurityAlexa.Security;
using SecurityAlexa.Targets;

namespace SecurityAlexa;

/// <summary>
/// The ports the capabilities use to reach the outside world: real AWS adapters in Lambda,
/// the simulated account with --sandbox, fakes in tests. Each capability adds its own port.
/// </summary>
internal sealed class SkillServices
{
    /// <summary>EC2 instance and tag reads, for target resolution.</summary>
    public IInstanceDirectory? Instances { get; init; }

    /// <summary>
    /// Spoken tag, name or id to instances; shared by scan, patch and isolate. Left null, the Targets module builds
    /// one over <see cref="Instances"/>.
    /// </summary>
    public ITargetResolver? Targets { get; init; }

    /// <summary>EC2 changes for isolation: interfaces, security groups, tags, termination protection, snapshots.</summary>
    public Isolation.IIsolationAccount? Isolation { get; init; }

    /// <summary>Auto Scaling, ELBv2, EBS volumes and IAM, for the containment steps before an isolation's swap.</summary>
    public Isolation.Containment.ContainmentPorts? Containment { get; init; }

    /// <summary>The team's chat channel; isolate, release and patch post there.</summary>
    public Notifications.IChatNotifier? Chat { get; init; }

    /// <summary>VPC flow logs in CloudWatch Logs, for "how much traffic was blocked".</summary>
    public Isolation.IFlowLogs? FlowLogs { get; init; }

    /// <summary>Amazon Inspector: scanning status, CIS scans, coverage and findings.</summary>
    public Scanning.IVulnerabilityScanner? Scanner { get; init; }
    /// <summary>Parameter Store, for the security code's hash.</summary>
    public IParameterStore? Parameters { get; init; }

    /// <summary>The state table (STATE_TABLE): request and event claims, wrong-code counters and lockouts.</summary>
    public State.IStateTable? State { get; init; }

    /// <summary>Systems Manager patching: managed instances, baselines, patch commands and their results.</summary>
    public Patching.IPatchManager? Patches { get; init; }

    /// <summary>
    /// Which instances have open findings, for "patch the vulnerable instances tagged ..." (backed by the scan capability).
    /// </summary>
    public Patching.IVulnerabilityLookup? Vulnerabilities { get; init; }
}
