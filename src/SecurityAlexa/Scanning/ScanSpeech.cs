using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Scanning;

/// <summary>The sentences the scan capability builds from more than one phrase: coverage and target descriptions.</summary>
internal static class ScanSpeech
{
    // More names than this are cut short in speech ("and 4 more"); the card has them all.
    internal const int MaxNames = 4;

    /// <summary>The tag (or name) a scan covers, as "the instances tagged Environment prod" or "web-1".</summary>
    public static Spoken Target(Lang lang, TagSelector tag) => tag.Key == TagIndex.NameKey
        ? Spoken.Plain(tag.Value)
        : lang.Say("scan.instancesTagged", ("key", tag.Key), ("value", tag.Value));

    /// <summary>The tag a selection can be scanned by: its tag, or the Name tag of a single named instance.</summary>
    public static TagSelector? ScanTag(TargetSelection selection) =>
        selection.Tag ?? (selection.Instances is [{ Name: { Length: > 0 } name }] ? new TagSelector(TagIndex.NameKey, name) : null);

    /// <summary>A phrase with ".one" or ".other" chosen by a count.</summary>
    public static Spoken Plural(Lang lang, string key, int count, params ReadOnlySpan<(string Name, object? Value)> args) =>
        lang.Say(key + (count == 1 ? ".one" : ".other"), args);

    /// <summary>
    /// The coverage sentences for a report: exact per instance when it was read to the end; otherwise Inspector's exact
    /// count, with the last scan and the uncovered names said only of the page that was read, as such.
    /// </summary>
    public static Spoken Coverage(Lang lang, IReadOnlyList<InstanceInfo> instances, CoverageReport report, DateTimeOffset now) =>
        report.Complete ? Coverage(lang, instances, report.Entries, now) : Sampled(lang, instances, report, now);

    // Above one page: counts from the statistics; "oldest last scan" and names only among the instances on the page read.
    private static Spoken Sampled(Lang lang, IReadOnlyList<InstanceInfo> instances, CoverageReport report, DateTimeOffset now)
    {
        var byId = report.Entries.GroupBy(c => c.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var read = instances.Where(i => byId.ContainsKey(i.Id)).ToList();
        var readCovered = read.Where(i => byId[i.Id].Active).ToList();
        var oldest = readCovered.Select(i => byId[i.Id].LastScannedAt).Where(t => t is not null).Min();
        var parts = new List<Spoken>();
        var allCovered = false;
        if (report.CoveredCount is { } counted)
        {
            // ACTIVE can briefly include an instance that just stopped; never say more are covered than were asked about.
            var covered = (int)Math.Min(counted, instances.Count);
            allCovered = covered == instances.Count;
            parts.Add(covered == 0 ? lang.Say("scan.coverage.none")
                : allCovered ? lang.Say("scan.coverage.allCounted", ("count", covered))
                : lang.Say("scan.coverage.someCounted", ("covered", covered), ("count", instances.Count)));
        }
        else if (read.Count > 0)
        {
            parts.Add(lang.Say("scan.coverage.sampleOnly", ("read", read.Count), ("count", instances.Count),
                ("covered", readCovered.Count == 1 ? lang.Text("scan.coverage.oneIs")
                : lang.Text("scan.coverage.manyAre", ("n", readCovered.Count)))));
        }
        if (oldest is { } at) parts.Add(lang.Say("scan.coverage.sampleScanned", ("read", read.Count), ("ago", lang.Ago(at, now))));

        var uncovered = read.Where(i => !byId[i.Id].Active).ToList();
        if (!allCovered && uncovered.Count > 0)
        {
            parts.Add(lang.Say("scan.coverage.sampleUncovered", ("read", read.Count)));
            parts.AddRange(UncoveredGroups(lang, uncovered, byId));
        }
        return Spoken.Join(parts);
    }

    /// <summary>"All 3 are covered ..., last scanned 2 hours ago", then each group of instances that is not, with the reason.</summary>
    public static Spoken Coverage(Lang lang, IReadOnlyList<InstanceInfo> instances, IReadOnlyList<CoverageEntry> coverage,
        DateTimeOffset now)
    {
        var byId = coverage.GroupBy(c => c.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var covered = instances.Where(i => byId.TryGetValue(i.Id, out var c) && c.Active).ToList();
        // The oldest scan among them: "last scanned 2 hours ago" must hold for every one.
        var oldest = covered.Select(i => byId[i.Id].LastScannedAt).Where(t => t is not null).Min();
        var parts = new List<Spoken>();
        if (covered.Count == 0) parts.Add(lang.Say("scan.coverage.none"));
        else if (covered.Count == instances.Count)
        {
            parts.Add(oldest is { } at
                ? Plural(lang, "scan.coverage.all", covered.Count, ("count", covered.Count), ("ago", lang.Ago(at, now)))
                : lang.Say("scan.coverage.allPending"));
        }
        else
        {
            parts.Add(oldest is { } at
                ? lang.Say("scan.coverage.some", ("covered", covered.Count), ("count", instances.Count), ("ago", lang.Ago(at, now)))
                : lang.Say("scan.coverage.somePending", ("covered", covered.Count), ("count", instances.Count)));
        }

        parts.AddRange(UncoveredGroups(lang, instances.Where(i => !covered.Contains(i)), byId));
        return Spoken.Join(parts);
    }

    // One sentence per reason, naming the instances it applies to.
    private static IEnumerable<Spoken> UncoveredGroups(Lang lang, IEnumerable<InstanceInfo> uncovered,
        Dictionary<string, CoverageEntry> byId)
    {
        foreach (var group in uncovered.GroupBy(i => Why(byId.GetValueOrDefault(i.Id))).OrderBy(g => g.Key.Group, StringComparer.Ordinal))
        {
            var names = group.Select(i => i.DisplayName).ToList();
            yield return Plural(lang, "scan.uncovered." + group.Key.Group, names.Count,
                ("names", lang.ListSome(names, MaxNames)), ("reason", group.Key.Reason));
        }
    }

    /// <summary>The card line for one instance's coverage.</summary>
    public static string CoverageLine(Lang lang, InstanceInfo instance, CoverageEntry? entry) => lang.Text("scan.card.coverage",
        ("name", instance.DisplayName), ("id", instance.Id),
        ("status", entry is { Active: true }
            ? lang.Text("scan.card.covered", ("at", entry.LastScannedAt is { } at ? lang.Clock(at) : "-"))
            : lang.Text("scan.card.uncovered", ("reason", entry?.Reason ?? "UNKNOWN"))));

    // Inspector's many reasons, folded into the few a listener can act on.
    private static (string Group, string Reason) Why(CoverageEntry? entry) => entry?.Reason switch
    {
        null when entry is null => ("unknown", ""),
        "UNMANAGED_EC2_INSTANCE" or "NO_INVENTORY" or "STALE_INVENTORY" => ("agent", ""),
        "EXCLUDED_BY_TAG" => ("excluded", ""),
        "EC2_INSTANCE_STOPPED" => ("stopped", ""),
        "UNSUPPORTED_OS" => ("unsupported", ""),
        var other => ("other", (other ?? "unknown").Replace('_', ' ').ToLowerInvariant()),
    };
}
