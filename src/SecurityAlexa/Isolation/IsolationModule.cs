using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Notifications;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Isolate, release, status and blocked traffic, and the queued work: tag-triggered isolation and instances handed
/// on by a turn (nothing of these without an isolation port); and a touch on a screen's instance row, which reads the instance aloud.
/// </summary>
internal sealed class IsolationModule : SkillModule
{
    // Events have no locale; their chat posts use the default phrases, parsed once per container and shared with the pipeline.
    private static readonly Lazy<Lang> EventLang = new(() => SpeechCatalog.Embedded.For(SpeechCatalog.DefaultLocale));

    /// <summary>The module over its ports; any of them may be missing.</summary>
    public IsolationModule(SkillConfig config, ITargetResolver? targets, IIsolationAccount? account, IFlowLogs? flowLogs,
        IChatNotifier? chat, IStateTable? state, SkillLog log, TimeProvider time, IWorkQueue? queue = null,
        IncidentTickets? tickets = null, ContainmentPorts? containment = null, IsolationScope? scope = null,
        Func<string, string, IsolationModule?>? elsewhere = null)
    {
        // A touch on a screen only reads an instance aloud, so it needs no isolation port.
        var touch = new ScreenTouchHandler(targets);
        Handlers = [touch];
        Chat = chat;
        if (account is null) return;
        var options = IsolationOptions.From(config);
        // Containment records every step in the state table before taking it, so without the table it is off.
        var steps = containment is null || state is null ? null
            : new ContainmentSteps(containment, state, ContainmentOptions.From(config), time);
        // Without a table (only hosts that build no ports: Lambda always has one, or refuses) memory is all there is.
        var records = state ?? new InMemoryStateTable();
        // Turns and tag events hand what does not fit on to the queue; queued units and the sweeper never re-queue.
        var isolator = new InstanceIsolator(account, options, records, time, queue, steps, scope);
        var finisher = new InstanceIsolator(account, options, records, time, containment: steps, scope: scope);
        Isolator = isolator;
        Finisher = finisher;
        if (targets is not null)
        {
            var handlers = new List<IRequestHandler>
            {
                new IsolateHandler(targets, isolator, chat, tickets),
                new ReleaseHandler(targets, isolator, chat, tickets),
                new IsolationStatusHandler(isolator, chat),
                touch,
            };
            if (flowLogs is not null)
                handlers.Add(new BlockedTrafficHandler(targets, account, flowLogs, options, isolator.Ledger,
                    FlowLogQueryLimit.From(config, state)));
            Handlers = handlers;
        }
        // A redelivered tag event whose work was finished is recognised by its id in every container; SQS's redrive
        // count bounds a unit that keeps failing.
        // Records, queued units and tag events of other accounts and regions are finished there, by that scope's isolators.
        // Each posts with the chat of the scope it acted in; a refusal says in its own words which account and region it is about.
        ScheduledJobs = [new IsolationSweeper(finisher, chat, log, time, EventLang.Value,
            (a, r) => elsewhere?.Invoke(a, r) is { Finisher: { } f } m ? (f, m.Chat) : null)];
        WorkHandlers =
        [
            new TagIsolationEventHandler(isolator, chat, config, log, time, EventLang.Value,
                TagEventPolicy.From(config, LabelledChat.Unlabelled(chat), log, EventLang.Value), state, tickets,
                (a, r) => elsewhere?.Invoke(a, r) is { Isolator: { } i } m ? (i, m.Chat) : null),
            new IsolateInstanceWorkHandler(finisher, chat, log, time, EventLang.Value),
        ];
    }

    /// <summary>The chat channel this module's posts go to (labelled with its account and region when there are several).</summary>
    public IChatNotifier? Chat { get; }

    /// <summary>The isolator turns use, for capabilities that isolate through this one's path (GuardDuty); null without a port.</summary>
    public InstanceIsolator? Isolator { get; }

    /// <summary>The isolator queued units and the sweeper use (it never re-queues); null without a port.</summary>
    public InstanceIsolator? Finisher { get; }

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<IWorkHandler> WorkHandlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<IScheduledJob> ScheduledJobs { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [IsolationSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Isolation";
}
