using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Amazon Inspector over the sandbox world: EC2 scanning on, coverage from each instance's SSM agent,
/// findings of every severity, and CIS scans that finish <see cref="ScanTakes"/> after they start by the
/// sandbox clock. A finished scan of the prod instances from the day before is there from the start,
/// so "what did the scan find?" has an answer in a fresh process.
/// </summary>
internal sealed class SandboxInspector : IVulnerabilityScanner
{
    /// <summary>How long a sandbox CIS scan runs.</summary>
    public static readonly TimeSpan ScanTakes = TimeSpan.FromMinutes(8);

    // Open findings per instance name: (critical, high, medium, low), and the CVEs behind the worst ones.
    private static readonly Dictionary<string, (int Critical, int High, int Medium, int Low)> Counts = new(StringComparer.Ordinal)
    {
        ["web-1"] = (2, 4, 3, 1),
        ["web-2"] = (0, 5, 2, 0),
        ["db-1"] = (0, 2, 6, 2),
        ["web-3"] = (1, 1, 0, 0),
        ["api-1"] = (0, 3, 1, 0),
        ["dev-1"] = (0, 0, 4, 1),
        ["dev-2"] = (0, 1, 0, 0),
    };

    private static readonly (string Cve, string Package, string Title)[] Catalogue =
    [
        ("CVE-2024-6387", "openssh-server", "regreSSHion: remote code execution in OpenSSH's server"),
        ("CVE-2024-3094", "xz-libs", "Backdoor in xz-utils liblzma"),
        ("CVE-2023-4863", "libwebp", "Heap buffer overflow in libwebp"),
        ("CVE-2024-2961", "glibc", "Out-of-bounds write in glibc iconv"),
        ("CVE-2023-38545", "curl", "SOCKS5 heap buffer overflow in curl"),
    ];

    private readonly SandboxWorld _world;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _created;
    private readonly List<Scan> _scans = [];
    private int _next;

    public SandboxInspector(SandboxWorld world, TimeProvider clock)
    {
        _world = world;
        _clock = clock;
        _created = clock.GetUtcNow();
        var started = _created.AddDays(-1).AddMinutes(-37);
        var prod = new TagSelector("Environment", "prod");
        _scans.Add(NewScan(ScanNames.For(prod, started), prod, started,
            _world.Instances.Where(i => i.Tags.GetValueOrDefault("Environment") == "prod").Select(i => i.Id)));
    }

    /// <inheritdoc />
    public Task<AccountScanning> GetStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_world.Locked(w => new AccountScanning(SandboxWorld.AccountId,
            w.InspectorScansEc2 ? ScanningState.Enabled : ScanningState.Disabled)));

    /// <inheritdoc />
    public Task<AccountScanning> EnableEc2Async(CancellationToken cancellationToken) =>
        Task.FromResult(_world.Locked(w =>
        {
            w.InspectorScansEc2 = true;
            return new AccountScanning(SandboxWorld.AccountId, ScanningState.Enabled);
        }));

    /// <inheritdoc />
    public Task<string> StartCisScanAsync(string scanName, string accountId, TagSelector tag, string securityLevel,
        CancellationToken cancellationToken) =>
        Task.FromResult(_world.Locked(w =>
        {
            var targets = w.Instances.Where(i => i.State == "running" && i.Tags.TryGetValue(tag.Key, out var v) && tag.Values.Contains(v))
                .Select(i => i.Id);
            var scan = NewScan(scanName, tag, _clock.GetUtcNow(), targets);
            _scans.Add(scan);
            return scan.ConfigurationArn;
        }));

    /// <inheritdoc />
    public Task<CoverageReport> CoverageAsync(TagSelector tag, int maxPages, CancellationToken cancellationToken) =>
        Task.FromResult(CoverageReport.Of(_world.Locked(w => Tagged(w, tag).Select(Coverage).ToList())));

    /// <inheritdoc />
    public Task<Page<CisScanInfo>> ListScansAsync(CisScanQuery query, string? nextToken, CancellationToken cancellationToken) =>
        Task.FromResult(_world.Locked(_ =>
        {
            var now = _clock.GetUtcNow();
            var scans = _scans
                .Where(s => query.NamePrefix is null || s.Name.StartsWith(query.NamePrefix, StringComparison.Ordinal))
                .Where(s => query.ConfigurationArn is null || s.ConfigurationArn == query.ConfigurationArn)
                .OrderByDescending(s => s.StartedAt)
                .Select(s => Info(s, now))
                .ToList();
            return new Page<CisScanInfo>(scans, null);
        }));

    /// <inheritdoc />
    public Task<Bounded<CisInstanceResult>> ScanResultsAsync(string scanArn, int maxRows, CancellationToken cancellationToken) =>
        Task.FromResult(_world.Locked(w =>
        {
            var scan = _scans.FirstOrDefault(s => s.ScanArn == scanArn);
            if (scan is null) return new Bounded<CisInstanceResult>([], true);
            var done = _clock.GetUtcNow() >= scan.StartedAt + ScanTakes;
            var all = scan.InstanceIds.Select(id => w.Find(id)).OfType<SandboxInstance>().Select(i => Result(i, done))
                .OrderByDescending(r => r.Failed).ToList();
            return new Bounded<CisInstanceResult>(all.Take(maxRows).ToList(), all.Count <= maxRows);
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceFindings>> FindingsByInstanceAsync(TagSelector tag, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InstanceFindings>>(_world.Locked(w => Tagged(w, tag)
            .Select(i => new InstanceFindings(i.Id, i.Tags.GetValueOrDefault("Name"), SeverityOf(i)))
            .Where(f => f.Counts.All > 0)
            .OrderByDescending(f => f.Counts.Critical).ThenByDescending(f => f.Counts.High)
            .ToList()));

    /// <inheritdoc />
    public async Task<Bounded<InstanceFindings>> WorstInstancesAsync(TagSelector tag, string sortBy, int maxRows,
        CancellationToken cancellationToken)
    {
        var all = await FindingsByInstanceAsync(tag, cancellationToken).ConfigureAwait(false);
        Func<InstanceFindings, long> key = sortBy switch { "HIGH" => f => f.Counts.High, "ALL" => f => f.Counts.All,
            _ => f => f.Counts.Critical };
        return new Bounded<InstanceFindings>(all.OrderByDescending(key).Take(maxRows).ToList(), all.Count <= maxRows);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FindingDetail>> TopFindingsAsync(TagSelector tag, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FindingDetail>>(_world.Locked(w => Tagged(w, tag)
            .SelectMany(Details)
            .OrderBy(d => d.Severity == "CRITICAL" ? 0 : 1)
            .Take(max)
            .ToList()));

    /// <inheritdoc />
    public Task<string?> ReportUrlAsync(string scanArn, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    private static IEnumerable<SandboxInstance> Tagged(SandboxWorld w, TagSelector tag) =>
        w.Instances.Where(i => i.Tags.TryGetValue(tag.Key, out var v) && tag.Values.Contains(v));

    private CoverageEntry Coverage(SandboxInstance i)
    {
        var lastScanned = _clock.GetUtcNow().AddHours(-2);
        if (i.State != "running") return new CoverageEntry(i.Id, false, "EC2_INSTANCE_STOPPED",
            lastScanned.AddDays(-3), "EC2_SSM_AGENT_BASED");
        return i.SsmPing switch
        {
            "Online" => new CoverageEntry(i.Id, true, "SUCCESSFUL", lastScanned, "EC2_SSM_AGENT_BASED"),
            "ConnectionLost" => new CoverageEntry(i.Id, false, "STALE_INVENTORY", lastScanned.AddDays(-9), "EC2_SSM_AGENT_BASED"),
            _ => new CoverageEntry(i.Id, false, "UNMANAGED_EC2_INSTANCE", null, "EC2_SSM_AGENT_BASED"),
        };
    }

    private static SeverityCounts SeverityOf(SandboxInstance i)
    {
        var (c, h, m, l) = Counts.GetValueOrDefault(i.Tags.GetValueOrDefault("Name") ?? "");
        return new SeverityCounts(c + h + m + l, c, h, m);
    }

    private static IEnumerable<FindingDetail> Details(SandboxInstance i)
    {
        var (c, h, _, _) = Counts.GetValueOrDefault(i.Tags.GetValueOrDefault("Name") ?? "");
        // A stable seed: string hash codes change from one process to the next.
        var seed = i.Id.Sum(ch => ch) % Catalogue.Length;
        for (var n = 0; n < c + h; n++)
        {
            var (cve, package, title) = Catalogue[(seed + n) % Catalogue.Length];
            yield return new FindingDetail(i.Id, n < c ? "CRITICAL" : "HIGH", cve + " - " + title, cve, package, "YES");
        }
    }

    private static CisInstanceResult Result(SandboxInstance i, bool done)
    {
        if (i.SsmPing != "Online") return new CisInstanceResult(i.Id, 0, 0, 0, "COMPLETED", "SSM_UNMANAGED");
        if (!done) return new CisInstanceResult(i.Id, 0, 0, 0, null, "SCAN_IN_PROGRESS");
        var failed = 4 + (i.Id[^1] - '0' + 10) % 7;
        return new CisInstanceResult(i.Id, 120 - failed, failed, 6, "COMPLETED", null);
    }

    private Scan NewScan(string name, TagSelector tag, DateTimeOffset startedAt, IEnumerable<string> instanceIds)
    {
        var n = ++_next;
        var id = $"{n:D8}-0000-4000-8000-{n:D12}";
        return new Scan(
            $"arn:aws:inspector2:{SandboxWorld.Region}:{SandboxWorld.AccountId}:owner/{SandboxWorld.AccountId}/cis-scan/{id}",
            $"arn:aws:inspector2:{SandboxWorld.Region}:{SandboxWorld.AccountId}:owner/{SandboxWorld.AccountId}/cis-configuration/{id}",
            name, tag, startedAt, instanceIds.ToList());
    }

    private CisScanInfo Info(Scan s, DateTimeOffset now)
    {
        var done = now >= s.StartedAt + ScanTakes;
        int? failed = null, total = null;
        if (done)
        {
            var results = s.InstanceIds.Select(_world.Find).OfType<SandboxInstance>().Select(i => Result(i, true)).ToList();
            failed = results.Sum(r => r.Failed);
            total = results.Sum(r => r.Failed + r.Passed);
        }
        return new CisScanInfo(s.ScanArn, s.ConfigurationArn, s.Name, done ? CisScanState.Completed : CisScanState.InProgress, s.StartedAt,
            failed, total, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [s.Tag.Key] = s.Tag.Values });
    }

    private sealed record Scan(string ScanArn, string ConfigurationArn, string Name, TagSelector Tag, DateTimeOffset StartedAt,
        List<string> InstanceIds);
}
