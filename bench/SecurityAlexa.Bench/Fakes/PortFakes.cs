using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>The EC2 read port over a <see cref="FakeFleet"/>, answering at once from lists built once.</summary>
internal sealed class FleetDirectory(FakeFleet fleet) : IInstanceDirectory
{
    private readonly IReadOnlyList<InstanceTag> _tags = fleet.Tags.Select(t => new InstanceTag(t.Id, t.Key, t.Value)).ToList();
    private readonly IReadOnlyList<InstanceInfo> _instances = fleet.Instances
        .Select(i => new InstanceInfo(i.Id, i.Name, i.State, "vpc-0bench", "10.0.0.1", "Linux/UNIX", i.Tags)).ToList();

    public Task<Page<InstanceTag>> ListInstanceTagsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var (items, next) = FakeFleet.Slice(_tags, nextToken, 1000);
        return Task.FromResult(new Page<InstanceTag>(items, next));
    }

    public Task<Page<InstanceInfo>> FindInstancesAsync(InstanceFilter filter, string? nextToken, CancellationToken cancellationToken)
    {
        var matching = _instances.Where(i =>
            (filter.InstanceIds is not { } ids || ids.Contains(i.Id))
            && (filter.States is not { } states || states.Contains(i.State))
            && (filter.TagKey is not { } key || (i.Tags.TryGetValue(key, out var v) && (filter.TagValues is not { Count: > 0 } values || values.Contains(v))))).ToList();
        var (items, next) = FakeFleet.Slice(matching, nextToken, 1000);
        return Task.FromResult(new Page<InstanceInfo>(items, next));
    }
}

/// <summary>The Inspector port over a <see cref="FakeFleet"/>: one completed CIS scan, per-instance counts, the worst findings.</summary>
internal sealed class FleetScanner(FakeFleet fleet) : IVulnerabilityScanner
{
    private const string ScanArn = "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-scan/bench";

    private readonly Page<CisScanInfo> _scans = new(
    [
        new CisScanInfo(ScanArn, "arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-configuration/bench", FakeFleet.ScanName,
            CisScanState.Completed, DateTimeOffset.FromUnixTimeSeconds(1796025600), fleet.Instances.Count * 8, fleet.Instances.Count * 120,
            new Dictionary<string, IReadOnlyList<string>> { [FakeFleet.TagKey] = [FakeFleet.TagValue] }),
    ], null);

    private readonly IReadOnlyList<InstanceFindings> _findings = fleet.Instances
        .Select(i => new InstanceFindings(i.Id, i.Name, new SeverityCounts(i.All, i.Critical, i.High, i.Medium))).ToList();

    private readonly IReadOnlyList<CisInstanceResult> _cis = fleet.Instances.Select(i => new CisInstanceResult(i.Id, 112, 8, 0, "COMPLETED", null)).ToList();

    private readonly IReadOnlyList<FindingDetail> _top = fleet.Instances.Where(i => i.Critical > 0).Take(5)
        .Select(i => new FindingDetail(i.Id, "CRITICAL", "CVE-2026-0001 - openssl", "CVE-2026-0001", "openssl", "YES")).ToList();

    public Task<AccountScanning> GetStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AccountScanning(FakeFleet.AccountId, ScanningState.Enabled));

    public Task<AccountScanning> EnableEc2Async(CancellationToken cancellationToken) =>
        Task.FromResult(new AccountScanning(FakeFleet.AccountId, ScanningState.Enabled));

    public Task<string> StartCisScanAsync(string scanName, string accountId, TagSelector tag, string securityLevel, CancellationToken cancellationToken) =>
        Task.FromResult("arn:aws:inspector2:us-east-1:123456789012:owner/123456789012/cis-configuration/new");

    // As the real client answers: one page of 200, and above it the exact covered count.
    public Task<CoverageReport> CoverageAsync(TagSelector tag, int maxPages, CancellationToken cancellationToken) =>
        Task.FromResult(new CoverageReport(
            fleet.Instances.Take(200).Select(i => new CoverageEntry(i.Id, true, "SUCCESSFUL", DateTimeOffset.FromUnixTimeSeconds(1796025600), "EC2_SSM_AGENT_BASED")).ToList(),
            fleet.Instances.Count <= 200,
            fleet.Instances.Count <= 200 ? null : fleet.Instances.Count));

    public Task<Page<CisScanInfo>> ListScansAsync(CisScanQuery query, string? nextToken, CancellationToken cancellationToken) => Task.FromResult(_scans);

    public Task<Bounded<CisInstanceResult>> ScanResultsAsync(string scanArn, int maxRows, CancellationToken cancellationToken) =>
        Task.FromResult(new Bounded<CisInstanceResult>(_cis.Take(maxRows).ToList(), _cis.Count <= maxRows));

    public Task<IReadOnlyList<InstanceFindings>> FindingsByInstanceAsync(TagSelector tag, CancellationToken cancellationToken) => Task.FromResult(_findings);

    public Task<Bounded<InstanceFindings>> WorstInstancesAsync(TagSelector tag, string sortBy, int maxRows, CancellationToken cancellationToken) =>
        Task.FromResult(new Bounded<InstanceFindings>(_findings.OrderByDescending(f => f.Counts.Critical).Take(maxRows).ToList(), _findings.Count <= maxRows));

    public Task<IReadOnlyList<FindingDetail>> TopFindingsAsync(TagSelector tag, int max, CancellationToken cancellationToken) => Task.FromResult(_top);

    public Task<string?> ReportUrlAsync(string scanArn, CancellationToken cancellationToken) => Task.FromResult<string?>("https://example.com/report.csv");
}
