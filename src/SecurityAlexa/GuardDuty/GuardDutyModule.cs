using SecurityAlexa.Isolation;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// GuardDuty findings, isolating a finding's instance (through the isolation capability's own path) and malware scans;
/// nothing without a detector port and a target resolver. Isolating also needs the isolation module's isolator (so the
/// record, containment and the queue apply exactly as to "isolate web-1"). Archiving a finding
/// is deliberately not offered: that is a decision for the console.
/// </summary>
internal sealed class GuardDutyModule : SkillModule
{
    /// <summary>
    /// The module over its ports; any of them may be missing. <paramref name="accountName"/> names a finding's account on cards.
    /// </summary>
    public GuardDutyModule(ITargetResolver? targets, IThreatDetector? detector, InstanceIsolator? isolator, IChatNotifier? chat,
        IncidentTickets? tickets = null, Func<string, string?>? accountName = null)
    {
        if (targets is null || detector is null) return;
        var handlers = new List<IRequestHandler>
        {
            new ThreatFindingsHandler(targets, detector, accountName),
            new MalwareScanHandler(targets, detector),
            new MalwareScanResultsHandler(targets, detector),
        };
        if (isolator is not null) handlers.Add(new IsolateFindingHandler(targets, new IsolateHandler(targets, isolator, chat, tickets)));
        Handlers = handlers;
    }

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [GuardDutySession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "GuardDuty";
}
