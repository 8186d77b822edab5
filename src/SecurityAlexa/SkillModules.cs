using SecurityAlexa.GuardDuty;
using SecurityAlexa.Blocking;
using SecurityAlexa.Isolation;
using SecurityAlexa.Patching;
using SecurityAlexa.Scanning;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa;

/// <summary>The composition root's one list of capabilities, in routing order.</summary>
internal static class SkillModules
{
    /// <summary>
    /// Every module over the given ports. A module whose ports are missing contributes nothing; security comes
    /// first so that its guards see every request.
    /// </summary>
    public static IReadOnlyList<SkillModule> From(SkillServices services, SkillConfig config, SkillLog log, TimeProvider time) =>
        From(services, config, log, time, out _);

    /// <summary>
    /// Every module over the given ports, and the target resolver they share (null without an instance directory). With
    /// several accounts or regions, <paramref name="scope"/> is where the ports act (written on isolation records and queued
    /// units) and <paramref name="elsewhere"/> gives the isolation of another scope, for the sweeper and tag events.
    /// </summary>
    public static IReadOnlyList<SkillModule> From(SkillServices services, SkillConfig config, SkillLog log, TimeProvider time,
        out ITargetResolver? targets, Accounts.AccountScope? scope = null, Func<string, string, IsolationModule?>? elsewhere = null)
    {
        targets = services.Targets ?? TargetsModule.ResolverOver(services.Instances, time);
        var tickets = IncidentTickets.From(config, services.Tickets, TicketScopeOf(scope, config));
        // With several accounts or regions every post says which one it is about; the security guards' posts are about speakers.
        var chat = scope is null ? services.Chat : Accounts.ScopeLabels.Chat(services.Chat, scope);
        var isolation = new IsolationModule(config, targets, services.Isolation, services.FlowLogs, chat, services.State, log, time,
            services.WorkQueue, tickets, services.Containment,
            scope is { AccountId.Length: > 0 } ? new IsolationScope(scope.Key, scope.AccountId, scope.Region) : null, elsewhere);
        return
        [
            new SecurityModule(config, services.Parameters, services.CodeHashKey, services.State, services.Chat, log),
            isolation,
            new BlockingModule(config, targets, services.Isolation, services.FlowLogs, services.TrafficSources, services.NetworkAcls,
                services.State),
            new ScanningModule(config, targets, services.Scanner, tickets),
            new GuardDutyModule(targets, services.Threats, isolation.Isolator, chat, tickets, AccountNames(config)),
            new PatchingModule(config, targets, services.Patches, services.Vulnerabilities, services.Scanner, chat, tickets,
                services.State,
                // Patching trusts the isolation records, not the tags: the isolator's ledger, or the table's when there is no isolator.
                new PatchIsolationCheck(
                    isolation.Isolator?.Ledger ?? (services.State is { } table ? new IsolationLedger(table) : null), time)),
            new TicketsModule(tickets, targets),
            // The launch also teaches Alexa the account's tags, when there is a tag source to read them from.
            new TargetsModule(targets),
        ];
    }

    /// <summary>Where a set of modules acts, for its tickets' resource ARNs and keys (the OpsItems stay the home account's).</summary>
    public static TicketScope? TicketScopeOf(Accounts.AccountScope? scope, SkillConfig config) => scope is null ? null
        : new TicketScope(scope.AccountId, scope.Region, Aws.AwsService.PartitionOf(scope.Region),
            scope.Key != Accounts.AccountSettings.From(config).HomeScope.Key);

    // A finding's account by its spoken name, only when there are member accounts to tell apart.
    private static Func<string, string?>? AccountNames(SkillConfig config)
    {
        var accounts = Accounts.AccountSettings.From(config);
        return accounts.Accounts.Count > 1 ? id => accounts.FindById(id)?.Name : null;
    }

    /// <summary>Every request handler over the given ports, in routing order.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(SkillServices services, SkillConfig config) =>
        SkillRouting.Handlers(From(services, config, new SkillLog(new ConsoleLogSink(), TimeProvider.System), TimeProvider.System));
}
