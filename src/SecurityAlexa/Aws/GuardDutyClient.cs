using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecurityAlexa.AwsContract;
using SecurityAlexa.GuardDuty;

namespace SecurityAlexa.Aws;

/// <summary>
/// Amazon GuardDuty (REST-JSON) over <see cref="SignedJsonClient"/>: a translation between the API's bodies and the
/// GuardDuty capability's records. Every read is one page: a constant number of calls however many findings there are.
/// </summary>
/// <param name="http">The signed client for the guardduty endpoint.</param>
/// <param name="region">The region, for instance ARNs.</param>
/// <param name="accountId">This account's id, for instance ARNs (the template sets FUNCTION_ACCOUNT_ID); null when unknown.</param>
internal sealed class GuardDutyClient(SignedJsonClient http, string region, string? accountId) : IThreatDetector
{
    // Findings are open until archived; the skill never archives, and never counts archived ones.
    private const string Archived = "service.archived";
    private const string UpdatedAt = "updatedAt";
    private const string Severity = "severity";
    private const string InstanceId = "resource.instanceDetails.instanceId";
    private const string Account = "accountId";

    // GetFindingsStatistics grouped by severity returns one row per distinct severity value; 100 is the most a page holds.
    private const int SeverityRows = 100;

    /// <inheritdoc />
    public async Task<string?> DetectorIdAsync(CancellationToken cancellationToken)
    {
        // A region has at most one detector per account.
        var response = await http.GetAsync(AwsOperations.GuardDutyListDetectors, "/detector",
            GuardDutyApiJsonContext.Default.GdListDetectorsResponse, cancellationToken).ConfigureAwait(false);
        return response.DetectorIds?.FirstOrDefault(id => !string.IsNullOrWhiteSpace(id));
    }

    /// <inheritdoc />
    public async Task<ThreatCounts> CountAsync(string detectorId, ThreatQuery query, CancellationToken cancellationToken)
    {
        var request = new GdGetFindingsStatisticsRequest
        {
            FindingCriteria = Criteria(query), GroupBy = "SEVERITY", MaxResults = SeverityRows,
        };
        var response = await http.PostAsync(AwsOperations.GuardDutyGetFindingsStatistics, DetectorPath(detectorId, "/findings/statistics"),
            request, GuardDutyApiJsonContext.Default.GdGetFindingsStatisticsRequest,
            GuardDutyApiJsonContext.Default.GdGetFindingsStatisticsResponse, cancellationToken).ConfigureAwait(false);
        return ThreatCounts.From((response.FindingStatistics?.GroupedBySeverity ?? [])
            .Select(g => (g.Severity ?? 0, g.TotalFindings ?? 0)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ThreatFinding>> MostSevereAsync(string detectorId, ThreatQuery query, int max,
        CancellationToken cancellationToken)
    {
        var sort = new GdSortCriteria(Severity, "DESC");
        var list = await http.PostAsync(AwsOperations.GuardDutyListFindings, DetectorPath(detectorId, "/findings"),
            new GdListFindingsRequest { FindingCriteria = Criteria(query), SortCriteria = sort, MaxResults = Math.Clamp(max, 1, 50) },
            GuardDutyApiJsonContext.Default.GdListFindingsRequest, GuardDutyApiJsonContext.Default.GdListFindingsResponse,
            cancellationToken).ConfigureAwait(false);
        var ids = (list.FindingIds ?? []).Where(id => !string.IsNullOrEmpty(id)).Take(max).ToList();
        if (ids.Count == 0) return [];
        var got = await http.PostAsync(AwsOperations.GuardDutyGetFindings, DetectorPath(detectorId, "/findings/get"),
            new GdGetFindingsRequest { FindingIds = ids, SortCriteria = sort },
            GuardDutyApiJsonContext.Default.GdGetFindingsRequest, GuardDutyApiJsonContext.Default.GdGetFindingsResponse,
            cancellationToken).ConfigureAwait(false);
        return (got.Findings ?? [])
            .Where(f => f.Id is not null)
            .Select(f => new ThreatFinding(
                f.Id!,
                f.Type ?? "",
                f.Severity ?? 0,
                f.Title,
                f.Resource?.InstanceDetails?.InstanceId,
                f.Resource?.InstanceDetails?.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value,
                f.AccountId,
                DateTimeOffset.TryParse(f.UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null))
            .OrderByDescending(f => f.Severity)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<string> StartMalwareScanAsync(string instanceId, string clientToken, CancellationToken cancellationToken)
    {
        var request = new GdStartMalwareScanRequest
        {
            ResourceArn = ArnOf(instanceId, AwsOperations.GuardDutyStartMalwareScan), ClientToken = Token(clientToken),
        };
        var response = await http.PostAsync(AwsOperations.GuardDutyStartMalwareScan, "/malware-scan/start", request,
            GuardDutyApiJsonContext.Default.GdStartMalwareScanRequest, GuardDutyApiJsonContext.Default.GdStartMalwareScanResponse,
            cancellationToken).ConfigureAwait(false);
        return response.ScanId
            ?? throw new AwsCallException(AwsOperations.GuardDutyStartMalwareScan, AwsFailure.Other, null, null,
                "No scan id in the answer.");
    }

    /// <inheritdoc />
    public async Task<MalwareScan?> LatestMalwareScanAsync(string detectorId, MalwareScanQuery query, CancellationToken cancellationToken)
    {
        // The service takes one filter criterion: the scan id when known, else the instance. Without the instance's ARN there is
        // no asking about it: an unfiltered query would answer with the newest scan of any instance.
        var filter = query.ScanId is { } scanId ? new GdScanFilterCriterion("SCAN_ID", new GdScanFilterCondition(scanId))
            : query.InstanceId is { } id
                ? new GdScanFilterCriterion("EC2_INSTANCE_ARN",
                    new GdScanFilterCondition(ArnOf(id, AwsOperations.GuardDutyDescribeMalwareScans)))
            : null;
        var request = new GdDescribeMalwareScansRequest
        {
            FilterCriteria = filter is null ? null : new GdScanFilterCriteria { FilterCriterion = [filter] },
            SortCriteria = new GdSortCriteria("scanStartTime", "DESC"),
            MaxResults = 1,
        };
        var response = await http.PostAsync(AwsOperations.GuardDutyDescribeMalwareScans, DetectorPath(detectorId, "/malware-scans"),
            request,
            GuardDutyApiJsonContext.Default.GdDescribeMalwareScansRequest, GuardDutyApiJsonContext.Default.GdDescribeMalwareScansResponse,
            cancellationToken).ConfigureAwait(false);
        var scan = response.Scans?.FirstOrDefault(s => s.ScanId is not null);
        return scan is null ? null
            : new MalwareScan(scan.ScanId!, scan.ScanStatus ?? "RUNNING", scan.ScanResultDetails?.ScanResult,
                scan.ResourceDetails?.InstanceArn,
                scan.ScanStartTime, scan.ScanEndTime, scan.FailureReason, scan.FileCount);
    }

    /// <summary>The ARN of an instance in this account and region, or null when the account id is unknown.</summary>
    public string? InstanceArn(string instanceId)
    {
        if (string.IsNullOrWhiteSpace(accountId)) return null;
        return $"arn:{AwsService.PartitionOf(region)}:ec2:{region}:{accountId}:instance/{instanceId}";
    }

    // The instance's ARN, or a refusal of the operation when the account id is unknown.
    private string ArnOf(string instanceId, string operation) => InstanceArn(instanceId)
        ?? throw new AwsCallException(operation, AwsFailure.InvalidRequest, null, null,
            "The account id is not known (FUNCTION_ACCOUNT_ID is not set), so the instance ARN cannot be built.");

    private static string DetectorPath(string detectorId, string rest) => "/detector/" + Uri.EscapeDataString(detectorId) + rest;

    // At most 64 characters; an Alexa request id can be longer, so its digest stands for it.
    private static string Token(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16));

    // No accounts asked for means this account's findings only: an administrator detector also returns its member accounts'
    // findings, which must never be read (or offered for isolation) as this account's.
    private GdFindingCriteria Criteria(ThreatQuery query)
    {
        var criterion = new Dictionary<string, GdCondition>(StringComparer.Ordinal)
        {
            [Archived] = new() { EqualTo = ["false"] },
            [UpdatedAt] = new() { GreaterThanOrEqual = query.Since.ToUnixTimeMilliseconds() },
        };
        if (query.MinSeverity > 0) criterion[Severity] = new() { GreaterThanOrEqual = (long)Math.Floor(query.MinSeverity) };
        if (query.InstanceIds is { Count: > 0 } ids) criterion[InstanceId] = new() { EqualTo = [.. ids] };
        if (query.AccountIds is { Count: > 0 } accounts) criterion[Account] = new() { EqualTo = [.. accounts] };
        else if (!string.IsNullOrWhiteSpace(accountId)) criterion[Account] = new() { EqualTo = [accountId] };
        return new GdFindingCriteria { Criterion = criterion };
    }
}
