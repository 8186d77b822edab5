using SecurityAlexa.Scanning;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>
/// Amazon Inspector (inspector2, REST-JSON) over <see cref="SignedJsonClient"/>: a translation between
/// the API's bodies and the scan capability's records, with lists read through nextToken (the per-instance
/// summaries only to a bounded number of pages, worst first).
/// </summary>
internal sealed class Inspector2Client(SignedJsonClient http) : IVulnerabilityScanner
{
    private const string Ec2Instance = "AWS_EC2_INSTANCE";
    private const string EqualsOp = "EQUALS";

    private const string Active = "ACTIVE";

    // The most rows a page of the aggregation and CIS result lists may carry.
    private const int PageSize = 100;

    // The most rows a ListCoverage page may carry; the scan reads one.
    private const int CoveragePageSize = 200;

    private static int PagesFor(int maxRows) => Math.Max(1, (int)Math.Min(int.MaxValue, ((long)maxRows + PageSize - 1) / PageSize));

    /// <inheritdoc />
    public async Task<AccountScanning> GetStatusAsync(CancellationToken cancellationToken)
    {
        var response = await http.PostAsync(AwsOperations.InspectorBatchGetAccountStatus, "/status/batch/get",
            new BatchGetAccountStatusRequest(), Inspector2JsonContext.Default.BatchGetAccountStatusRequest,
            Inspector2JsonContext.Default.BatchGetAccountStatusResponse, cancellationToken).ConfigureAwait(false);
        var account = response.Accounts?.FirstOrDefault();
        if (account is null)
        {
            var failed = response.FailedAccounts?.FirstOrDefault();
            return new AccountScanning(failed?.AccountId ?? "", ScanningState.Unknown, failed?.ErrorCode);
        }
        return new AccountScanning(account.AccountId ?? "", StateOf(account.ResourceState?.Ec2?.Status),
            account.ResourceState?.Ec2?.ErrorCode);
    }

    /// <inheritdoc />
    public async Task<AccountScanning> EnableEc2Async(CancellationToken cancellationToken)
    {
        var request = new EnableRequest { ResourceTypes = ["EC2"], ClientToken = Guid.NewGuid().ToString("N") };
        var response = await http.PostAsync(AwsOperations.InspectorEnable, "/enable", request,
            Inspector2JsonContext.Default.EnableRequest, Inspector2JsonContext.Default.EnableResponse, cancellationToken)
                .ConfigureAwait(false);
        if (response.Accounts?.FirstOrDefault() is { } account)
            return new AccountScanning(account.AccountId ?? "", StateOf(account.ResourceStatus?.Ec2 ?? account.Status));
        var failed = response.FailedAccounts?.FirstOrDefault();
        return new AccountScanning(failed?.AccountId ?? "", ScanningState.Unknown, failed?.ErrorCode);
    }

    /// <inheritdoc />
    public async Task<string> StartCisScanAsync(string scanName, string accountId, TagSelector tag, string securityLevel,
        CancellationToken cancellationToken)
    {
        var request = new CreateCisScanConfigurationRequest
        {
            ScanName = scanName,
            Schedule = new ScheduleDto { OneTime = new OneTimeScheduleDto() },
            SecurityLevel = securityLevel,
            Targets = new CisTargetsDto
            {
                AccountIds = [accountId],
                TargetResourceTags = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [tag.Key] = [.. tag.Values] },
            },
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["CreatedBy"] = "SecurityAlexa" },
        };
        var response = await http.PostAsync(AwsOperations.InspectorCreateCisScanConfiguration, "/cis/scan-configuration/create", request,
            Inspector2JsonContext.Default.CreateCisScanConfigurationRequest,
                Inspector2JsonContext.Default.CreateCisScanConfigurationResponse,
            cancellationToken).ConfigureAwait(false);
        return response.ScanConfigurationArn ?? "";
    }

    /// <inheritdoc />
    public async Task<CoverageReport> CoverageAsync(TagSelector tag, int maxPages, CancellationToken cancellationToken)
    {
        // How many pages is the caller's to say (the turn's time); the adapter only stops there.
        var entries = new List<CoverageEntry>();
        string? next = null;
        for (var pages = 0; pages < Math.Max(1, maxPages); pages++)
        {
            var request = new ListCoverageRequest { FilterCriteria = CoverageFilter(tag), MaxResults = CoveragePageSize, NextToken = next };
            var page = await http.PostAsync(AwsOperations.InspectorListCoverage, "/coverage/list", request,
                Inspector2JsonContext.Default.ListCoverageRequest, Inspector2JsonContext.Default.ListCoverageResponse, cancellationToken)
                    .ConfigureAwait(false);
            foreach (var r in page.CoveredResources ?? [])
            {
                if (r.ResourceId is null) continue;
                entries.Add(new CoverageEntry(r.ResourceId, r.ScanStatus?.StatusCode == Active, r.ScanStatus?.Reason, r.LastScannedAt,
                    r.ScanMode));
            }
            next = Next(page.NextToken);
            if (next is null) return CoverageReport.Of(entries);
        }
        // More than a page: the exact number covered comes from the statistics, in one more call.
        return new CoverageReport(entries, false, await CoveredCountAsync(tag, cancellationToken).ConfigureAwait(false));
    }

    // ListCoverageStatistics grouped by scan status: countsByGroup holds one row per status, keyed by its value (ACTIVE, INACTIVE).
    private async Task<long> CoveredCountAsync(TagSelector tag, CancellationToken cancellationToken)
    {
        var request = new ListCoverageStatisticsRequest { FilterCriteria = CoverageFilter(tag), GroupBy = "SCAN_STATUS_CODE" };
        var response = await http.PostAsync(AwsOperations.InspectorListCoverageStatistics, "/coverage/statistics/list", request,
            Inspector2JsonContext.Default.ListCoverageStatisticsRequest, Inspector2JsonContext.Default.ListCoverageStatisticsResponse,
            cancellationToken).ConfigureAwait(false);
        return (response.CountsByGroup ?? []).Where(c => c.GroupKey == Active).Sum(c => c.Count ?? 0);
    }

    private static CoverageFilterCriteria CoverageFilter(TagSelector tag) => new()
    {
        Ec2InstanceTags = [.. tag.Values.Select(v => new CoverageMapFilter(EqualsOp, tag.Key, v))],
        ResourceType = [new StringFilter(EqualsOp, Ec2Instance)],
    };

    /// <inheritdoc />
    public async Task<Page<CisScanInfo>> ListScansAsync(CisScanQuery query, string? nextToken, CancellationToken cancellationToken)
    {
        var request = new ListCisScansRequest
        {
            FilterCriteria = new ListCisScansFilterCriteria
            {
                ScanNameFilters = query.NamePrefix is { } prefix ? [new StringFilter("PREFIX", prefix)] : null,
                ScanConfigurationArnFilters = query.ConfigurationArn is { } arn ? [new StringFilter(EqualsOp, arn)] : null,
            },
            MaxResults = 50,
            NextToken = nextToken,
            SortBy = "SCAN_START_DATE",
            SortOrder = "DESC",
        };
        var page = await http.PostAsync(AwsOperations.InspectorListCisScans, "/cis/scan/list", request,
            Inspector2JsonContext.Default.ListCisScansRequest, Inspector2JsonContext.Default.ListCisScansResponse, cancellationToken)
                .ConfigureAwait(false);
        var scans = (page.Scans ?? [])
            .Where(s => s.ScanArn is not null)
            .Select(s => new CisScanInfo(
                s.ScanArn!,
                s.ScanConfigurationArn ?? "",
                s.ScanName,
                ScanStateOf(s.Status),
                s.ScanDate,
                s.FailedChecks,
                s.TotalChecks,
                (s.Targets?.TargetResourceTags ?? [])
                    .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)(kv.Value ?? []), StringComparer.Ordinal)))
            .ToList();
        return new Page<CisScanInfo>(scans, Next(page.NextToken));
    }

    /// <inheritdoc />
    public async Task<Bounded<CisInstanceResult>> ScanResultsAsync(string scanArn, int maxRows, CancellationToken cancellationToken)
    {
        var results = new List<CisInstanceResult>();
        string? token = null;
        var pages = PagesFor(maxRows);
        for (var page = 0; page < pages; page++)
        {
            // Most failed checks first, so the instances worth naming are on the first page whatever the fleet size.
            var request = new ListCisScanResultsByTargetRequest
            {
                ScanArn = scanArn,
                MaxResults = PageSize,
                NextToken = token,
                SortBy = "FAILED_COUNTS",
                SortOrder = "DESC",
            };
            var response = await http.PostAsync(
                AwsOperations.InspectorListCisScanResultsAggregatedByTargetResource, "/cis/scan-result/resource/list", request,
                Inspector2JsonContext.Default.ListCisScanResultsByTargetRequest,
                Inspector2JsonContext.Default.ListCisScanResultsByTargetResponse,
                cancellationToken).ConfigureAwait(false);
            foreach (var r in response.TargetResourceAggregations ?? [])
            {
                if (r.TargetResourceId is null) continue;
                results.Add(new CisInstanceResult(r.TargetResourceId, r.StatusCounts?.Passed ?? 0, r.StatusCounts?.Failed ?? 0,
                    r.StatusCounts?.Skipped ?? 0, r.TargetStatus, r.TargetStatusReason));
            }
            token = Next(response.NextToken);
            if (token is null) break;
        }
        return new Bounded<CisInstanceResult>(results, token is null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceFindings>> FindingsByInstanceAsync(TagSelector tag, CancellationToken cancellationToken) =>
        (await AggregateAsync(tag, "CRITICAL", int.MaxValue, cancellationToken).ConfigureAwait(false)).Items;

    /// <inheritdoc />
    public Task<Bounded<InstanceFindings>> WorstInstancesAsync(TagSelector tag, string sortBy, int maxRows,
        CancellationToken cancellationToken) =>
        AggregateAsync(tag, sortBy, PagesFor(maxRows), cancellationToken);

    private async Task<Bounded<InstanceFindings>> AggregateAsync(TagSelector tag, string sortBy, int maxPages,
        CancellationToken cancellationToken)
    {
        var rows = new List<InstanceFindings>();
        string? token = null;
        for (var pageNo = 0; pageNo < maxPages; pageNo++)
        {
            var request = new ListFindingAggregationsRequest
            {
                AggregationType = Ec2Instance,
                AggregationRequest = new AggregationRequestDto
                {
                    Ec2InstanceAggregation = new Ec2InstanceAggregationDto
                    {
                        InstanceTags = TagFilters(tag),
                        SortBy = sortBy,
                        SortOrder = "DESC",
                    },
                },
                MaxResults = PageSize,
                NextToken = token,
            };
            var page = await http.PostAsync(AwsOperations.InspectorListFindingAggregations, "/findings/aggregation/list", request,
                Inspector2JsonContext.Default.ListFindingAggregationsRequest,
                    Inspector2JsonContext.Default.ListFindingAggregationsResponse,
                cancellationToken).ConfigureAwait(false);
            foreach (var r in page.Responses ?? [])
            {
                if (r.Ec2InstanceAggregation is not { InstanceId: { } id } row) continue;
                var c = row.SeverityCounts;
                rows.Add(new InstanceFindings(id, row.InstanceTags?.GetValueOrDefault(TagIndex.NameKey),
                    new SeverityCounts(c?.All ?? 0, c?.Critical ?? 0, c?.High ?? 0, c?.Medium ?? 0)));
            }
            token = Next(page.NextToken);
            if (token is null) break;
        }
        return new Bounded<InstanceFindings>(rows, token is null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FindingDetail>> TopFindingsAsync(TagSelector tag, int max, CancellationToken cancellationToken)
    {
        // One page: only the few worst are wanted, for the card.
        var request = new ListFindingsRequest
        {
            FilterCriteria = new FindingFilterCriteria
            {
                ResourceTags = TagFilters(tag),
                Severity = [new StringFilter(EqualsOp, "CRITICAL"), new StringFilter(EqualsOp, "HIGH")],
                FindingStatus = [new StringFilter(EqualsOp, "ACTIVE")],
                ResourceType = [new StringFilter(EqualsOp, Ec2Instance)],
            },
            MaxResults = Math.Clamp(max, 1, 100),
            SortCriteria = new SortCriteriaDto("INSPECTOR_SCORE", "DESC"),
        };
        var page = await http.PostAsync(AwsOperations.InspectorListFindings, "/findings/list", request,
            Inspector2JsonContext.Default.ListFindingsRequest, Inspector2JsonContext.Default.ListFindingsResponse, cancellationToken)
                .ConfigureAwait(false);
        return (page.Findings ?? [])
            .Select(f => new FindingDetail(
                f.Resources?.FirstOrDefault(r => r.Id is not null)?.Id ?? "",
                f.Severity ?? "UNTRIAGED",
                f.Title ?? "",
                f.PackageVulnerabilityDetails?.VulnerabilityId,
                f.PackageVulnerabilityDetails?.VulnerablePackages?.FirstOrDefault()?.Name,
                f.FixAvailable))
            .Take(max)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<string?> ReportUrlAsync(string scanArn, CancellationToken cancellationToken)
    {
        var response = await http.PostAsync(AwsOperations.InspectorGetCisScanReport, "/cis/scan/report/get",
            new GetCisScanReportRequest { ScanArn = scanArn, ReportFormat = "CSV" }, Inspector2JsonContext.Default.GetCisScanReportRequest,
            Inspector2JsonContext.Default.GetCisScanReportResponse, cancellationToken).ConfigureAwait(false);
        return response.Status == "SUCCEEDED" && !string.IsNullOrEmpty(response.Url) ? response.Url : null;
    }

    // Several spellings of one value ("prod", "Prod") are separate filters; Inspector ORs filters on one field.
    private static List<MapFilter> TagFilters(TagSelector tag) => [.. tag.Values.Select(v => new MapFilter(EqualsOp, tag.Key, v))];

    private static string? Next(string? token) => string.IsNullOrEmpty(token) ? null : token;

    private static ScanningState StateOf(string? status) => status switch
    {
        "ENABLED" => ScanningState.Enabled,
        "ENABLING" => ScanningState.Enabling,
        "DISABLED" => ScanningState.Disabled,
        "DISABLING" => ScanningState.Disabling,
        "SUSPENDED" or "SUSPENDING" => ScanningState.Suspended,
        _ => ScanningState.Unknown,
    };

    private static CisScanState ScanStateOf(string? status) => status switch
    {
        "IN_PROGRESS" => CisScanState.InProgress,
        "COMPLETED" => CisScanState.Completed,
        "FAILED" => CisScanState.Failed,
        "CANCELLED" => CisScanState.Cancelled,
        _ => CisScanState.Unknown,
    };
}
