using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>The isolation capability's handlers, registered only when its ports are present.</summary>
public static class IsolationModule
{
    // Events have no locale; their chat posts use the default phrases, loaded once per container on first event.
    private static readonly Lazy<Lang> EventLang = new(() => SpeechCatalog.LoadEmbedded().For(SpeechCatalog.DefaultLocale));

    /// <summary>Isolate, release, status and blocked traffic; nothing without an isolation port and a target resolver.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(SkillServices services, SkillConfig config)
    {
        if (services.Isolation is not { } account || services.Targets is not { } targets) return [];
        var options = IsolationOptions.From(config);
        var isolator = new InstanceIsolator(account, options);
        var handlers = new List<IRequestHandler>
        {
            new IsolateHandler(targets, isolator, services.Chat, config),
            new ReleaseHandler(targets, isolator, services.Chat),
            new IsolationStatusHandler(isolator),
        };
        if (services.FlowLogs is { } flowLogs) handlers.Add(new BlockedTrafficHandler(targets, account, flowLogs, options, config));
        return handlers;
    }

    /// <summary>The tag-triggered isolation, when an isolation port is present.</summary>
    public static IReadOnlyList<IEventHandler> EventHandlers(SkillServices services, SkillConfig config, SkillLog log, TimeProvider time)
    {
        if (services.Isolation is not { } account) return [];
        var isolator = new InstanceIsolator(account, IsolationOptions.From(config));
        // With the state table, a redelivered event is recognised by its id in every container.
        var ledger = services.State is { } table ? new ReplayLedger(table, SecuritySettings.From(config)) : null;
        return [new TagIsolationEventHandler(isolator, services.Chat, config, log, time, EventLang.Value, ledger)];
    }
}
