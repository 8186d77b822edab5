using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Scanning;

/// <summary>Scan, scan results and enabling scanning; nothing without a scanner and a target resolver.</summary>
internal sealed class ScanningModule(SkillConfig config, ITargetResolver? targets, IVulnerabilityScanner? scanner,
    Tickets.IncidentTickets? tickets = null) : SkillModule
{
    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } = targets is null || scanner is null
        ? []
        :
        [
            new ScanHandler(targets, scanner, config.String("CIS_SECURITY_LEVEL", "LEVEL_1")),
            new ScanResultsHandler(targets, scanner, tickets),
            new EnableScanningHandler(scanner),
        ];

    /// <inheritdoc />
    public override IReadOnlyList<SessionSlot> Slots => [ScanSession.Slot];

    /// <inheritdoc />
    public override string SpeechFolder => "Scanning";
}
