using SecurityAlexa.GuardDuty;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Amazon GuardDuty over the sandbox world: a detector with a handful of open findings of the last day (web-1 talking
/// to a command-and-control server is the most severe), and malware scans that finish <see cref="ScanTakes"/> after
/// they start by the sandbox clock, finding malware on web-1 and nothing elsewhere. In the payments account in North
/// Virginia a detector of its own finds two things on payments' own instances; Ireland has no detector; legacy refuses.
/// </summary>
internal sealed class SandboxGuardDuty : IThreatDetector
{
    /// <summary>The sandbox detector's id.</summary>
    public const string DetectorId = "12abc34d567e8fa901bc2d34e56789f0";

    /// <summary>The payments account's detector id.</summary>
    public const string PaymentsDetectorId = "34cde56f789a0bc123de4f56a78901b2";

    /// <summary>How long a sandbox malware scan runs.</summary>
    public static readonly TimeSpan ScanTakes = TimeSpan.FromMinutes(6);

    private readonly SandboxWorld _world;
    private readonly TimeProvider _clock;
    private readonly List<(ThreatFinding Finding, bool Archived)> _findings;
    private readonly List<(string ScanId, string InstanceId, DateTimeOffset StartedAt, string Token)> _scans = [];
    private readonly Lock _gate = new();
    private readonly string _detectorId;

    public SandboxGuardDuty(SandboxWorld world, TimeProvider clock, bool detectorOn = true)
    {
        _world = world;
        _clock = clock;
        var now = clock.GetUtcNow();
        _detectorId = world.Owner == SandboxWorld.PaymentsAccountId ? PaymentsDetectorId : DetectorId;
        DetectorOn = detectorOn && world.OwnerRegion == SandboxWorld.Region;
        if (world.Owner != SandboxWorld.AccountId)
        {
            _findings = world.Owner != SandboxWorld.PaymentsAccountId ? [] :
            [
                (Finding("9ad7b2c3d4e5f60718293a4b5c6d7e01", "CryptoCurrency:EC2/BitcoinTool.B!DNS", 8, "i-0f9e8d7c6b5a40001", "web-1",
                    now.AddHours(-2),
                    "EC2 instance i-0f9e8d7c6b5a40001 is querying a domain name that is associated with Bitcoin-related activity."),
                    false),
                (Finding("9bd7b2c3d4e5f60718293a4b5c6d7e02", "Recon:EC2/PortProbeUnprotectedPort", 2, "i-0f9e8d7c6b5a40002", "pay-api-1",
                    now.AddHours(-5), "Unprotected port on EC2 instance i-0f9e8d7c6b5a40002 is being probed."), false),
            ];
            return;
        }
        _findings =
        [
            (Finding("8ac6a1f2b3c4d5e6f708192a3b4c5d01", "Backdoor:EC2/C&CActivity.B!DNS", 8, "i-0a1b2c3d4e5f60001", "web-1",
                now.AddMinutes(-42),
                "EC2 instance i-0a1b2c3d4e5f60001 is querying a domain name associated with a known command and control server."), false),
            (Finding("2ec6a1f2b3c4d5e6f708192a3b4c5d02", "UnauthorizedAccess:EC2/SSHBruteForce", 5, "i-0c3d4e5f6a7b80004", "web-3",
                now.AddHours(-3),
                "198.51.100.7 is performing SSH brute force attacks against i-0c3d4e5f6a7b80004."), false),
            (Finding("4ac6a1f2b3c4d5e6f708192a3b4c5d03", "Recon:EC2/PortProbeUnprotectedPort", 2, "i-0a1b2c3d4e5f60002", "web-2",
                now.AddHours(-6),
                "Unprotected port on EC2 instance i-0a1b2c3d4e5f60002 is being probed."), false),
            (Finding("6cc6a1f2b3c4d5e6f708192a3b4c5d04", "CryptoCurrency:EC2/BitcoinTool.B!DNS", 8, "i-0e5f6a7b8c9d00006", "dev-1",
                now.AddHours(-9),
                "EC2 instance i-0e5f6a7b8c9d00006 is querying a domain name that is associated with Bitcoin-related activity."), false),
            (Finding("0ec6a1f2b3c4d5e6f708192a3b4c5d05", "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8,
                null, null, now.AddHours(-14),
                "Credentials for instance role web-role used from external IP address."), false),
            // Older than a day, and an archived one: neither is counted.
            (Finding("a2c6a1f2b3c4d5e6f708192a3b4c5d06", "Recon:EC2/Portscan", 5, "i-0a1b2c3d4e5f64f2a", "db-1", now.AddDays(-3),
                "EC2 instance i-0a1b2c3d4e5f64f2a is performing outbound port scans."), false),
            (Finding("c4c6a1f2b3c4d5e6f708192a3b4c5d07", "Trojan:EC2/DNSDataExfiltration", 8, "i-0a1b2c3d4e5f64f2a", "db-1",
                now.AddHours(-2),
                "EC2 instance i-0a1b2c3d4e5f64f2a is exfiltrating data through DNS queries."), true),
        ];
    }

    /// <summary>False makes the region behave as one without a detector.</summary>
    public bool DetectorOn { get; set; }

    /// <summary>Every finding type the sandbox uses (the plain-words table must cover them all).</summary>
    public IReadOnlyList<string> FindingTypes => _findings.Select(f => f.Finding.Type).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The malware scans started, as (scan id, instance id).</summary>
    public IReadOnlyList<(string ScanId, string InstanceId)> Scans
    {
        get { lock (_gate) return _scans.Select(s => (s.ScanId, s.InstanceId)).ToList(); }
    }

    /// <inheritdoc />
    public Task<string?> DetectorIdAsync(CancellationToken cancellationToken)
    {
        _world.Refusal?.Invoke();
        return Task.FromResult(DetectorOn ? _detectorId : null);
    }

    /// <inheritdoc />
    public Task<ThreatCounts> CountAsync(string detectorId, ThreatQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(ThreatCounts.From(Matching(detectorId, query).GroupBy(f => f.Severity).Select(g => (g.Key, g.Count()))));

    /// <inheritdoc />
    public Task<IReadOnlyList<ThreatFinding>> MostSevereAsync(string detectorId, ThreatQuery query, int max,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ThreatFinding>>(Matching(detectorId, query).OrderByDescending(f => f.Severity)
            .ThenByDescending(f => f.UpdatedAt).Take(max).ToList());

    /// <inheritdoc />
    public Task<string> StartMalwareScanAsync(string instanceId, string clientToken, CancellationToken cancellationToken)
    {
        if (_world.Locked(w => w.Find(instanceId)) is null)
            throw new AwsContract.AwsCallException(AwsContract.AwsOperations.GuardDutyStartMalwareScan,
                AwsContract.AwsFailure.InvalidRequest, "BadRequestException", System.Net.HttpStatusCode.BadRequest,
                "The resource does not exist.");
        lock (_gate)
        {
            if (_scans.FirstOrDefault(s => s.Token == clientToken) is { ScanId: not null } again) return Task.FromResult(again.ScanId);
            var scanId = "b7" + (0x1a2b3c4dL + _scans.Count).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)
                + "e5f60718293a4b5c6d7e8f90a1";
            _scans.Add((scanId, instanceId, _clock.GetUtcNow(), clientToken));
            return Task.FromResult(scanId);
        }
    }

    /// <inheritdoc />
    public Task<MalwareScan?> LatestMalwareScanAsync(string detectorId, MalwareScanQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var scan = _scans
                .Where(s => query.ScanId is null ? query.InstanceId is null || s.InstanceId == query.InstanceId : s.ScanId == query.ScanId)
                .OrderByDescending(s => s.StartedAt).FirstOrDefault();
            if (scan.ScanId is null) return Task.FromResult<MalwareScan?>(null);
            var arn = $"arn:aws:ec2:{_world.OwnerRegion}:{_world.Owner}:instance/{scan.InstanceId}";
            var done = _clock.GetUtcNow() >= scan.StartedAt + ScanTakes;
            var infected = scan.InstanceId == "i-0a1b2c3d4e5f60001";
            return Task.FromResult<MalwareScan?>(done
                ? new MalwareScan(scan.ScanId, "COMPLETED", infected ? "INFECTED" : "CLEAN", arn, scan.StartedAt,
                    scan.StartedAt + ScanTakes, null, 18_342)
                : new MalwareScan(scan.ScanId, "RUNNING", null, arn, scan.StartedAt, null, null, null));
        }
    }

    private IEnumerable<ThreatFinding> Matching(string detectorId, ThreatQuery query)
    {
        _world.Refusal?.Invoke();
        if (!DetectorOn || detectorId != _detectorId) return [];
        return _findings.Where(f => !f.Archived).Select(f => f.Finding)
            .Where(f => f.UpdatedAt >= query.Since && f.Severity >= query.MinSeverity)
            .Where(f => query.InstanceIds is null || (f.InstanceId is not null && query.InstanceIds.Contains(f.InstanceId)))
            .Where(f => query.AccountIds is null || query.AccountIds.Contains(_world.Owner))
            .ToList();
    }

    // Finding ids are 32 hex characters, fixed so that a transcript reads the same each time.
    private ThreatFinding Finding(string id, string type, double severity, string? instanceId, string? name, DateTimeOffset at,
        string title) => new(id, type, severity, title, instanceId, name, _world.Owner, at);
}
