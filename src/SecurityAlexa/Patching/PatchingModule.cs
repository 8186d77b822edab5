using SecurityAlexa.Notifications;
using SecurityAlexa.Scanning;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Patching;

/// <summary>Patch, cancel, status and dry run; nothing without a patch manager and a target resolver.</summary>
internal sealed class PatchingModule(
    SkillConfig config,
    ITargetResolver? targets,
    IPatchManager? patches,
    IVulnerabilityLookup? vulnerabilities,
    IVulnerabilityScanner? scanner,
    IChatNotifier? chat,
    IncidentTickets? tickets = null,
    IStateTable? state = null,
    PatchIsolationCheck? isolation = null) : SkillModule
{
    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = Build(config, targets, patches, vulnerabilities, scanner, chat,
        tickets, state, isolation);

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [PatchSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Patching";

    private static IReadOnlyList<IRequestHandler> Build(SkillConfig config, ITargetResolver? targets, IPatchManager? patches,
        IVulnerabilityLookup? vulnerabilities, IVulnerabilityScanner? scanner, IChatNotifier? chat, IncidentTickets? tickets,
        IStateTable? state, PatchIsolationCheck? isolation)
    {
        if (targets is null || patches is null) return [];
        var settings = PatchSettings.From(config);
        // "The vulnerable ones" comes from the scan capability's findings when it is present.
        vulnerabilities ??= scanner is null ? null : new ScannerVulnerabilityLookup(scanner);
        // The patch-command references; hosts that build no state table (some tests) keep them in memory.
        var references = new PatchReferences(state ?? new InMemoryStateTable());
        return
        [
            new PatchHandler(targets, patches, vulnerabilities, settings, references, chat, tickets, isolation),
            new PatchCancelHandler(),
            new PatchStatusHandler(patches, targets, settings, references),
            new PatchDryRunHandler(targets, patches, vulnerabilities, settings, isolation),
        ];
    }
}
