using System.Collections.Concurrent;
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

    /// <summary>
    /// The ports in each of the sandbox's accounts and regions: the home account's own in us-east-1, and for every other
    /// scope a simulated account of its own whose chat, queue, tickets and security code are the home account's.
    /// </summary>
    public static ScopedServices Scoped(this SandboxAccount home)
    {
        var homeServices = home.Services();
        var members = new ConcurrentDictionary<string, SkillServices>(StringComparer.Ordinal);
        return (scope, _) => scope.IsHome && scope.Region == SandboxWorld.Region
            ? homeServices
            : members.GetOrAdd(scope.Key, _ =>
                home.Member(scope.IsHome ? SandboxWorld.AccountId : scope.AccountId, scope.Region).Services()
                    // The skill's own table is the home account's in every scope (isolation records name their scope).
                    .WithOwnPortsOf(homeServices));
    }
}
