using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Notifications;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolate, release, status and blocked traffic, and the tag-triggered isolation (nothing of these without an
/// isolation port); and a touch on a screen's instance row, which reads the instance aloud.
/// </summary>
internal sealed class IsolationModule : SkillModule
{
    // Events have no locale; their chat posts use the default phrases, loaded once per container on first event.
    private static readonly Lazy<Lang> EventLang = new(() => SpeechCatalog.LoadEmbedded().For(SpeechCatalog.DefaultLocale));

    /// <summary>The module over its ports; any of them may be missing.</summary>
    public IsolationModule(SkillConfig config, ITargetResolver? targets, IIsolationAccount? account, IFlowLogs? flowLogs,
        IChatNotifier? chat, IStateTable? state, SkillLog log, TimeProvider time, ContainmentPorts? containment = null)
    {
        // A touch on a screen only reads an instance aloud, so it needs no isolation port.
        var touch = new ScreenTouchHandler(targets);
        Handlers = [touch];
        if (account is null) return;
        var options = IsolationOptions.From(config);
        // Containment records every step in the state table before taking it, so without the table it is off.
        var steps = containment is null || state is null ? null
            : new ContainmentSteps(containment, state, ContainmentOptions.From(config), time);
        if (targets is not null)
        {
            var isolator = new InstanceIsolator(account, options, steps);
            var handlers = new List<IRequestHandler>
            {
                new IsolateHandler(targets, isolator, chat),
                new ReleaseHandler(targets, isolator, chat),
                new IsolationStatusHandler(isolator),
                touch,
            };
            if (flowLogs is not null) handlers.Add(new BlockedTrafficHandler(targets, account, flowLogs, options));
            Handlers = handlers;
        }
        // With the state table, a redelivered event is recognised by its id in every container.
        var ledger = state is null ? null : new ReplayLedger(state, SecuritySettings.From(config));
        EventHandlers = [new TagIsolationEventHandler(new InstanceIsolator(account, options, steps), chat, config, log, time, EventLang.Value,
            ledger)];
    }

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<IEventHandler> EventHandlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [IsolationSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Isolation";
}
