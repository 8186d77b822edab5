using SecurityAlexa.Security;
using SecurityAlexa.Targets;

namespace SecurityAlexa;

/// <summary>
/// The ports the capabilities use to reach the outside world: real AWS adapters in Lambda,
/// the simulated account with --sandbox, fakes in tests. Each capability adds its own port.
/// </summary>
internal sealed record SkillServices
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

    /// <summary>Top source addresses in the flow logs, for "who is hitting web-1".</summary>
    public Blocking.ITrafficSources? TrafficSources { get; init; }

    /// <summary>Subnet network ACLs, for "block 203.0.113.5".</summary>
    public Blocking.INetworkAcls? NetworkAcls { get; init; }

    /// <summary>Where incidents are ticketed (OpsCenter); TICKETS=off turns the tickets off even when this is set.</summary>
    public Tickets.ITicketDesk? Tickets { get; init; }

    /// <summary>Amazon Inspector: scanning status, CIS scans, coverage and findings.</summary>
    public Scanning.IVulnerabilityScanner? Scanner { get; init; }

    /// <summary>Amazon GuardDuty: this region's detector, its findings and malware scans.</summary>
    public GuardDuty.IThreatDetector? Threats { get; init; }

    /// <summary>Parameter Store, for the security code's hash.</summary>
    public IParameterStore? Parameters { get; init; }

    /// <summary>The KMS key the security code's hash is encrypted under.</summary>
    public ICodeHashKey? CodeHashKey { get; init; }

    /// <summary>The state table (STATE_TABLE): request and event claims, wrong-code counters and lockouts.</summary>
    public State.IStateTable? State { get; init; }

    /// <summary>The work queue (WORK_QUEUE_URL): work that outlives a turn, consumed by the same function.</summary>
    public Skill.IWorkQueue? WorkQueue { get; init; }

    /// <summary>The work queue's URL: the only queue, and the only account, whose messages the consumer trusts.</summary>
    public string? WorkQueueUrl { get; init; }

    /// <summary>Systems Manager patching: managed instances, baselines, patch commands and their results.</summary>
    public Patching.IPatchManager? Patches { get; init; }

    /// <summary>
    /// Which instances have open findings, for "patch the vulnerable instances tagged ..." (backed by the scan capability).
    /// </summary>
    public Patching.IVulnerabilityLookup? Vulnerabilities { get; init; }

    /// <summary>
    /// These ports with the skill's own (chat, tickets, parameters, security code key, state, queue) taken from
    /// <paramref name="home"/>: one account or region's fleet ports as every scope but home's sees them.
    /// </summary>
    public SkillServices WithOwnPortsOf(SkillServices home) => this with
    {
        Chat = home.Chat,
        Tickets = home.Tickets,
        Parameters = home.Parameters,
        CodeHashKey = home.CodeHashKey,
        State = home.State,
        WorkQueue = home.WorkQueue,
        WorkQueueUrl = home.WorkQueueUrl,
    };
}
