using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Tests.Scanning;

/// <summary>A scripted Inspector that records what it was asked to do.</summary>
internal sealed class FakeInspector : IVulnerabilityScanner
{
    public ScanningState Ec2 { get; set; } = ScanningState.Enabled;
    public ScanningState AfterEnable { get; set; } = ScanningState.Enabling;
    public List<CoverageEntry> Coverage { get; } = [];
    public List<CisScanInfo> Scans { get; } = [];
    public List<CisInstanceResult> Results { get; } = [];
    public List<InstanceFindings> Findings { get; } = [];
    public List<FindingDetail> Top { get; } = [];
    public Exception? CoverageFails { get; set; }

    /// <summary>When set, the coverage answer as given (e.g. one page and a count); otherwise <see cref="Coverage"/>, complete.</summary>
    public CoverageReport? CoverageReport { get; set; }

    public int StatusCalls { get; private set; }
    public int EnableCalls { get; private set; }
    public List<(string Name, string Account, TagSelector Tag, string Level)> Started { get; } = [];
    public List<CisScanQuery> ScanQueries { get; } = [];

    public const string Account = "111122223333";

    public Task<AccountScanning> GetStatusAsync(CancellationToken cancellationToken)
    {
        StatusCalls++;
        return Task.FromResult(new AccountScanning(Account, Ec2));
    }

    public Task<AccountScanning> EnableEc2Async(CancellationToken cancellationToken)
    {
        EnableCalls++;
        Ec2 = AfterEnable;
        return Task.FromResult(new AccountScanning(Account, Ec2, AfterEnable == ScanningState.Unknown ? "ACCESS_DENIED" : null));
    }

    public Task<string> StartCisScanAsync(string scanName, string accountId, TagSelector tag, string securityLevel, CancellationToken cancellationToken)
    {
        Started.Add((scanName, accountId, tag, securityLevel));
        return Task.FromResult("arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/" + Started.Count);
    }

    public Task<CoverageReport> CoverageAsync(TagSelector tag, int maxPages, CancellationToken cancellationToken) =>
        CoverageFails is { } e ? Task.FromException<CoverageReport>(e) : Task.FromResult(CoverageReport ?? SecurityAlexa.Scanning.CoverageReport.Of(Coverage));

    public Task<Page<CisScanInfo>> ListScansAsync(CisScanQuery query, string? nextToken, CancellationToken cancellationToken)
    {
        ScanQueries.Add(query);
        var scans = Scans
            .Where(s => query.NamePrefix is null || (s.Name?.StartsWith(query.NamePrefix, StringComparison.Ordinal) ?? false))
            .Where(s => query.ConfigurationArn is null || s.ConfigurationArn == query.ConfigurationArn)
            .OrderByDescending(s => s.StartedAt)
            .ToList();
        return Task.FromResult(new Page<CisScanInfo>(scans, null));
    }

    /// <summary>What ScanResultsAsync and WorstInstancesAsync were asked for (maxRows, sortBy).</summary>
    public List<(string What, int MaxRows, string? SortBy)> BoundedReads { get; } = [];

    public Task<Bounded<CisInstanceResult>> ScanResultsAsync(string scanArn, int maxRows, CancellationToken cancellationToken)
    {
        BoundedReads.Add(("cis", maxRows, null));
        return Task.FromResult(new Bounded<CisInstanceResult>(Results.OrderByDescending(r => r.Failed).Take(maxRows).ToList(), Results.Count <= maxRows));
    }

    public Task<IReadOnlyList<InstanceFindings>> FindingsByInstanceAsync(TagSelector tag, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InstanceFindings>>(Findings);

    public Task<Bounded<InstanceFindings>> WorstInstancesAsync(TagSelector tag, string sortBy, int maxRows, CancellationToken cancellationToken)
    {
        BoundedReads.Add(("findings", maxRows, sortBy));
        Func<InstanceFindings, long> key = sortBy switch { "HIGH" => f => f.Counts.High, "ALL" => f => f.Counts.All, _ => f => f.Counts.Critical };
        return Task.FromResult(new Bounded<InstanceFindings>(Findings.OrderByDescending(key).Take(maxRows).ToList(), Findings.Count <= maxRows));
    }

    public Task<IReadOnlyList<FindingDetail>> TopFindingsAsync(TagSelector tag, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FindingDetail>>(Top.Take(max).ToList());

    public Task<string?> ReportUrlAsync(string scanArn, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>A scan with the skill's name for the prod tag.</summary>
    public CisScanInfo AddScan(DateTimeOffset startedAt, CisScanState state, string configuration = "arn:config/seeded", string tagValue = "prod", int? failed = null, int? total = null)
    {
        var tag = new TagSelector("Environment", tagValue);
        var scan = new CisScanInfo("arn:scan/" + (Scans.Count + 1), configuration, ScanNames.For(tag, startedAt), state, startedAt, failed, total,
            new Dictionary<string, IReadOnlyList<string>> { ["Environment"] = [tagValue] });
        Scans.Add(scan);
        return scan;
    }
}
