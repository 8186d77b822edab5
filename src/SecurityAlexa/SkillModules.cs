using SecurityAlexa.Alexa;
using SecurityAlexa.Security;

namespace SecurityAlexa.Skill;

/// <summary>The one list of handlers, guards and event handlers, in routing order.</summary>
public static class SkillModules
{
    /// <summary>Every request handler: capabilities first, built-ins next, catch-alls last.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(SkillServices services, SkillConfig config)
    {
        var capabilities = new List<IRequestHandler>();
        // Capability handlers are added here, one module per capability.
        capabilities.AddRange(Isolation.IsolationModule.Handlers(services, config));
        if (services.Targets is { } scanTargets && services.Scanner is { } scanner)
        {
            capabilities.Add(new Scanning.ScanHandler(scanTargets, scanner, config.String("CIS_SECURITY_LEVEL", "LEVEL_1")));
            capabilities.Add(new Scanning.ScanResultsHandler(scanTargets, scanner));
            capabilities.Add(new Scanning.EnableScanningHandler(scanner));
        }
        capabilities.AddRange(Patching.PatchingModule.Handlers(services, config));
        // The launch also teaches Alexa the account's tags, when there is a tag source to read them from.
        if (services.Targets is Targets.IKnownTags knownTags) capabilities.Add(new Targets.LaunchWithTagEntitiesHandler(knownTags));

        var builtIns = new List<IRequestHandler>
        {
            new LaunchHandler(),
            new HelpHandler(),
            new StopHandler(),
            new FallbackHandler(),
            new NavigateHomeHandler(),
            new YesNoHandler(),
            new SessionEndedHandler(),
            new ExceptionEncounteredHandler(),
        };
        var known = capabilities.Concat(builtIns).OfType<IntentHandler>().SelectMany(h => h.Intents).ToHashSet(StringComparer.Ordinal);
        return [.. capabilities, .. builtIns, new CanFulfillHandler(known.Contains), new UnhandledIntentHandler(), new UnknownRequestHandler()];
    }

    /// <summary>Checks that run before a handler.</summary>
    public static IReadOnlyList<IRequestGuard> Guards(SkillServices services, SkillConfig config) => SecurityModule.Guards(services, config);

    /// <summary>Handlers for non-Alexa events.</summary>
    public static IReadOnlyList<IEventHandler> EventHandlers(SkillServices services, SkillConfig config, SkillLog? log = null, TimeProvider? time = null) =>
    [
        .. Isolation.IsolationModule.EventHandlers(services, config, log ?? new SkillLog(new ConsoleLogSink(), time ?? TimeProvider.System), time ?? TimeProvider.System),
    ];
}
