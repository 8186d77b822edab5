using SecurityAlexa.Sandbox;

namespace SecurityAlexa;

/// <summary>The ports over the built-in sandbox account, as the composition root wires them.</summary>
internal static class SandboxServices
{
    /// <summary>The ports over this account.</summary>
    public static SkillServices Services(this SandboxAccount account) => new()
    {
        Instances = new SandboxInstanceDirectory(account.World),
        Isolation = account.Isolation,
        Containment = new(account.Containment, account.Containment, account.Containment, account.Containment),
        Chat = account.Chat,
        FlowLogs = new SandboxFlowLogs(account.Clock),
        TrafficSources = new SandboxTraffic(account.Clock, account.NetworkAcls),
        NetworkAcls = account.NetworkAcls,
        Tickets = account.OpsCenter,
        Scanner = account.Inspector,
        Threats = account.GuardDuty,
        Parameters = account.Parameters,
        CodeHashKey = account.CodeHashKey,
        State = account.State,
        Patches = new SandboxPatchManager(account.World, account.Clock),
        WorkQueue = account.Queue,
        WorkQueueUrl = account.Queue.Url,
    };
}
