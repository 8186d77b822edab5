using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>The patching capability's handlers, built once per container.</summary>
public static class PatchingModule
{
    /// <summary>The handlers, or none when the ports they need are missing.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(SkillServices services, SkillConfig config)
    {
        if (services.Targets is not { } targets || services.Patches is not { } patches) return [];
        var settings = PatchSettings.From(config);
        // "The vulnerable ones" comes from the scan capability's findings when it is present.
        var vulnerabilities = services.Vulnerabilities ?? (services.Scanner is { } scanner ? new ScannerVulnerabilityLookup(scanner) : null);
        return
        [
            new PatchHandler(targets, patches, vulnerabilities, settings, services.Chat),
            new PatchCancelHandler(),
            new PatchStatusHandler(patches, targets, settings),
            new PatchDryRunHandler(targets, patches, vulnerabilities, settings),
        ];
    }
}
