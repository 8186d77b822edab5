using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>
/// Works out which baseline Patch Manager will apply to each instance: the one registered for the
/// value of its Patch Group (or PatchGroup) tag and its operating system, otherwise the OS default.
/// The command itself does not choose; this is for reading it back.
/// </summary>
internal static class PatchBaselines
{
    /// <summary>The tag keys Patch Manager reads the patch group from, in the order it prefers them.</summary>
    public static readonly IReadOnlyList<string> PatchGroupTags = ["Patch Group", "PatchGroup"];

    /// <summary>
    /// Groups the targets by the baseline that applies to them, in order of first appearance. <paramref name="registered"/> is
    /// the patch-group read when it was started earlier, alongside other look-ups. With a <paramref name="turn"/>, the default
    /// baselines' ids (card detail only: the speech names the platform) are waited for only while the turn can afford it.
    /// </summary>
    public static async Task<IReadOnlyList<BaselineUse>> PlanAsync(IPatchManager patches, IReadOnlyList<PatchTarget> targets,
        CancellationToken cancellationToken,
        Task<IReadOnlyList<PatchGroupBaseline>>? registered = null, Skill.TurnContext? turn = null)
    {
        IReadOnlyList<PatchGroupBaseline> groups = [];
        if (targets.Any(t => PatchGroupOf(t) is not null))
            groups = await (registered ?? patches.ListPatchGroupBaselinesAsync(cancellationToken)).ConfigureAwait(false);
        else if (registered is not null)
            Observed.Forget(registered);

        var mapped = targets.Select(t => (Target: t, Os: OperatingSystemOf(t.Node),
            Mapping: PatchGroupOf(t) is { } g ? Match(groups, g, OperatingSystemOf(t.Node)) : null)).ToList();
        // Every default needed is asked for at once.
        var lookups = mapped.Where(m => m.Mapping is null && m.Os is not null).Select(m => m.Os!).Distinct(StringComparer.Ordinal)
            .ToDictionary(os => os, os => patches.GetDefaultBaselineAsync(os, cancellationToken), StringComparer.Ordinal);
        var defaults = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (os, lookup) in lookups)
        {
            defaults[os] = turn is null ? await lookup.ConfigureAwait(false)
                : await Skill.TurnBudget.WithinTurnAsync(turn, lookup, null, "patch.default-baseline").ConfigureAwait(false);
        }

        var uses = new List<(string Key, string? Id, string? Name, string? Group, string? Platform, List<PatchTarget> Targets)>();
        foreach (var (target, os, mapping) in mapped)
        {
            string key;
            string? id, name, group, platform = null;
            if (mapping is not null)
            {
                key = "pb:" + mapping.BaselineId;
                (id, name, group) = (mapping.BaselineId, mapping.BaselineName, mapping.PatchGroup);
            }
            else
            {
                platform = target.Node.PlatformName;
                key = "default:" + (os ?? platform ?? "");
                id = os is null ? null : defaults.GetValueOrDefault(os);
                (name, group) = (null, null);
            }
            var existing = uses.FindIndex(u => u.Key == key);
            if (existing < 0) uses.Add((key, id, name, group, platform, [target]));
            else uses[existing].Targets.Add(target);
        }
        return uses.Select(u => new BaselineUse(u.Id, u.Name, u.Group, u.Platform, u.Targets)).ToList();
    }

    /// <summary>The instance's patch group, from its Patch Group or PatchGroup tag.</summary>
    public static string? PatchGroupOf(PatchTarget target)
    {
        foreach (var key in PatchGroupTags)
        {
            if (target.Instance.Tag(key) is { Length: > 0 } value) return value;
        }
        return null;
    }

    /// <summary>The SSM OperatingSystem value for a managed node, or null when it cannot be told.</summary>
    public static string? OperatingSystemOf(ManagedNode node)
    {
        var name = node.PlatformName ?? "";
        var version = node.PlatformVersion ?? "";
        bool Has(string s) => name.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("Amazon Linux"))
        {
            if (version.StartsWith("2023", StringComparison.Ordinal)) return "AMAZON_LINUX_2023";
            if (version.StartsWith("2022", StringComparison.Ordinal)) return "AMAZON_LINUX_2022";
            if (version == "2" || version.StartsWith("2.", StringComparison.Ordinal)) return "AMAZON_LINUX_2";
            return "AMAZON_LINUX";
        }
        if (Has("Windows") || string.Equals(node.PlatformType, "Windows", StringComparison.OrdinalIgnoreCase)) return "WINDOWS";
        if (Has("Ubuntu")) return "UBUNTU";
        if (Has("Red Hat")) return "REDHAT_ENTERPRISE_LINUX";
        if (Has("CentOS")) return "CENTOS";
        if (Has("SUSE") || Has("SLES")) return "SUSE";
        if (Has("Debian")) return "DEBIAN";
        if (Has("Oracle")) return "ORACLE_LINUX";
        if (Has("Rocky")) return "ROCKY_LINUX";
        if (Has("Alma")) return "ALMA_LINUX";
        if (Has("Raspbian") || Has("Raspberry")) return "RASPBIAN";
        if (Has("mac") || string.Equals(node.PlatformType, "MacOS", StringComparison.OrdinalIgnoreCase)) return "MACOS";
        return null;
    }

    // A patch group holds one baseline per operating system; an instance whose OS has none falls back to the default.
    private static PatchGroupBaseline? Match(IReadOnlyList<PatchGroupBaseline> registered, string group, string? os)
    {
        var forGroup = registered.Where(r => string.Equals(r.PatchGroup, group, StringComparison.Ordinal)).ToList();
        if (forGroup.Count == 0) return null;
        if (os is null) return forGroup.Count == 1 ? forGroup[0] : null;
        return forGroup.FirstOrDefault(r => string.Equals(r.OperatingSystem, os, StringComparison.Ordinal))
            ?? forGroup.FirstOrDefault(r => r.OperatingSystem is null);
    }
}
