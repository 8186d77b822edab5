using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>The patching capability's handlers, built once per container.</summary>
public static class PatchingModule
{
    /// <summary>The handlers, or none when the ports they need are missing.</summary>
    public static IReadOnlyList<IRequestHandler> Handlers(ITargetResolver? targets, IPatchManager? patches, IVulnerabilityLookup? vulnerabilities, SkillConfig config)
    {
        if (targets is null || patches is null) return [];
        var settings = PatchSettings.From(config);
        return
        [
            new PatchHandler(targets, patches, vulnerabilities, settings),
            new PatchCancelHandler(),
            new PatchStatusHandler(patches, targets, settings),
            new PatchDryRunHandler(targets, patches, vulnerabilities, settings),
        ];
    }
}
