using SecurityAlexa.Notifications;
using SecurityAlexa.Scanning;
using SecurityAlexa.Skill;
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
    PatchIsolationCheck? isolation = null) : SkillModule
{
    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = Build(config, targets, patches, vulnerabilities, scanner, chat,
        tickets, isolation);

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [PatchSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Patching";

    private static IReadOnlyList<IRequestHandler> Build(SkillConfig config, ITargetResolver? targets, IPatchManager? patches,
        IVulnerabilityLookup? vulnerabilities, IVulnerabilityScanner? scanner, IChatNotifier? chat, IncidentTickets? tickets,
        PatchIsolationCheck? isolation)
    {
        if (targets is null || patches is null) return [];
        var settings = PatchSettings.From(config);
        // "The vulnerable ones" comes from the scan capability's findings when it is present.
        vulnerabilities ??= scanner is null ? null : new ScannerVulnerabilityLookup(scanner);
        return
        [
            new PatchHandler(targets, patches, vulnerabilities, settings, chat, tickets, isolation),
            new PatchCancelHandler(),
            new PatchStatusHandler(patches, targets, settings),
            new PatchDryRunHandler(targets, patches, vulnerabilities, settings, isolation),
        ];
    }
}
