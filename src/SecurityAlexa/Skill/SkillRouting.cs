using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>
/// The routing chain: the modules' handlers first, in the order the modules are listed, then the built-ins, then catch-alls.
/// </summary>
internal static class SkillRouting
{
    /// <summary>Every request handler, in routing order.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(IEnumerable<SkillModule> modules)
    {
        var capabilities = modules.SelectMany(m => m.Handlers).ToList();
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
        return [.. capabilities, .. builtIns, new CanFulfillHandler(known.Contains), new UnhandledIntentHandler(),
            new UnknownRequestHandler()];
    }
}
