using System.Text.Json.Nodes;
using SecurityAlexa.Aws;
using SecurityAlexa.Scanning;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Aws;

public sealed class Inspector2ClientTests : IDisposable
{
    private static readonly TagSelector Prod = new("Environment", "prod");
    private readonly WireMockServer _server = FakeAws.Server();
    private readonly Inspector2Client _client;

    public Inspector2ClientTests() => _client = new Inspector2Client(FakeAws.Client(_server, AwsService.Inspector2));

    public void Dispose() => _server.Dispose();

    private void Answer(string path, string body, int status = 200) =>
        _server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    private JsonObject Body(int index = 0) => JsonNode.Parse(_server.LogEntries.ElementAt(index).RequestMessage.Body!)!.AsObject();

    [Fact]
    public async Task GetStatusAsync_PostsToStatusBatchGet_SignedForInspector2()
    {
        Answer("/status/batch/get", """{"accounts":[{"accountId":"111122223333","resourceState":{"ec2":{"status":"ENABLED"},"ecr":{"status":"DISABLED"}},"state":{"status":"ENABLED"}}],"failedAccounts":[]}""");

        var status = await _client.GetStatusAsync(CancellationToken.None);

        Assert.Equal(new AccountScanning("111122223333", ScanningState.Enabled), status);
        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("/status/batch/get", entry.RequestMessage.Path);
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDSECURITYALEXATEST/\d{8}/us-east-1/inspector2/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$",
            FakeAws.Header(entry, "Authorization"));
    }

    [Fact]
    public async Task EnableEc2Async_AsksForEc2Only()
    {
        Answer("/enable", """{"accounts":[{"accountId":"111122223333","resourceStatus":{"ec2":"ENABLING","ecr":"DISABLED"},"status":"ENABLING"}],"failedAccounts":[]}""");

        var result = await _client.EnableEc2Async(CancellationToken.None);

        Assert.Equal(ScanningState.Enabling, result.Ec2);
        var body = Body();
        Assert.Equal("""["EC2"]""", body["resourceTypes"]!.ToJsonString());
        Assert.False(string.IsNullOrEmpty((string?)body["clientToken"]));
        Assert.Null(body["accountIds"]);
    }

    [Fact]
    public async Task StartCisScanAsync_SendsAOneTimeScanAimedAtTheTag()
    {
        Answer("/cis/scan-configuration/create", """{"scanConfigurationArn":"arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/abc"}""");
        var tag = new TagSelector("Environment", "prod") { Values = ["prod", "Prod"] };

        var arn = await _client.StartCisScanAsync("SecurityAlexa-Environment-prod-20261129T102800Z", "111122223333", tag, "LEVEL_1", CancellationToken.None);

        Assert.EndsWith("cis-configuration/abc", arn);
        var body = Body();
        Assert.Equal("SecurityAlexa-Environment-prod-20261129T102800Z", (string?)body["scanName"]);
        Assert.Equal("""{"oneTime":{}}""", body["schedule"]!.ToJsonString());
        Assert.Equal("LEVEL_1", (string?)body["securityLevel"]);
        Assert.Equal("""{"accountIds":["111122223333"],"targetResourceTags":{"Environment":["prod","Prod"]}}""", body["targets"]!.ToJsonString());
    }

    [Fact]
    public async Task CoverageAsync_WhenOnePageHoldsEveryInstance_IsCompleteWithoutAskingForStatistics()
    {
        Answer("/coverage/list", """{"coveredResources":[{"accountId":"111122223333","resourceId":"i-01","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1.7648064E9,"scanMode":"EC2_SSM_AGENT_BASED"},{"accountId":"111122223333","resourceId":"i-02","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"INACTIVE","reason":"STALE_INVENTORY"}}]}""");

        var coverage = await _client.CoverageAsync(Prod, maxPages: 1, CancellationToken.None);

        Assert.True(coverage.Complete);
        Assert.Null(coverage.CoveredCount);
        Assert.Equal(["i-01", "i-02"], coverage.Entries.Select(c => c.InstanceId));
        Assert.True(coverage.Entries[0].Active);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764806400), coverage.Entries[0].LastScannedAt);
        Assert.Equal(("STALE_INVENTORY", false), (coverage.Entries[1].Reason, coverage.Entries[1].Active));
        var entry = Assert.Single(_server.LogEntries);
        var body = Body(0);
        Assert.Equal("""{"ec2InstanceTags":[{"comparison":"EQUALS","key":"Environment","value":"prod"}],"resourceType":[{"comparison":"EQUALS","value":"AWS_EC2_INSTANCE"}]}""",
            body["filterCriteria"]!.ToJsonString());
        Assert.Equal(200, (int?)body["maxResults"]);
        Assert.Null(body["nextToken"]);
        Assert.Contains("/us-east-1/inspector2/aws4_request", FakeAws.Header(entry, "Authorization"));
    }

    [Fact]
    public async Task CoverageAsync_WhenThereIsMoreThanAPage_ReadsOnePageThenTheCoveredCountFromStatistics()
    {
        Answer("/coverage/list", """{"coveredResources":[{"resourceId":"i-01","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1764806400}],"nextToken":"page-2"}""");
        Answer("/coverage/statistics/list", """{"countsByGroup":[{"count":9950,"groupKey":"ACTIVE"},{"count":60,"groupKey":"INACTIVE"}],"totalCounts":10010}""");
        var tag = new TagSelector("Environment", "prod") { Values = ["prod", "Prod"] };

        var coverage = await _client.CoverageAsync(tag, maxPages: 1, CancellationToken.None);

        Assert.False(coverage.Complete);
        Assert.Equal(9950, coverage.CoveredCount);
        Assert.Equal("i-01", Assert.Single(coverage.Entries).InstanceId);
        // Two calls whatever the fleet size: the next page is never asked for.
        Assert.Equal(["/coverage/list", "/coverage/statistics/list"], _server.LogEntries.Select(e => e.RequestMessage.Path));
        var stats = _server.LogEntries.Single(e => e.RequestMessage.Path == "/coverage/statistics/list");
        var body = JsonNode.Parse(stats.RequestMessage.Body!)!.AsObject();
        Assert.Equal("""{"ec2InstanceTags":[{"comparison":"EQUALS","key":"Environment","value":"prod"},{"comparison":"EQUALS","key":"Environment","value":"Prod"}],"resourceType":[{"comparison":"EQUALS","value":"AWS_EC2_INSTANCE"}]}""",
            body["filterCriteria"]!.ToJsonString());
        Assert.Equal("SCAN_STATUS_CODE", (string?)body["groupBy"]);
        Assert.Null(body["nextToken"]);
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDSECURITYALEXATEST/\d{8}/us-east-1/inspector2/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$",
            FakeAws.Header(stats, "Authorization"));
    }

    [Fact]
    public async Task CoverageAsync_ReadsAtMostThePagesTheCallerAllows_ThenTheCoveredCount()
    {
        // Every page says there is another: only the caller's limit stops the reading.
        Answer("/coverage/list", """{"coveredResources":[{"resourceId":"i-01","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1764806400}],"nextToken":"page-2"}""");
        Answer("/coverage/statistics/list", """{"countsByGroup":[{"count":9950,"groupKey":"ACTIVE"}],"totalCounts":9950}""");

        var coverage = await _client.CoverageAsync(Prod, maxPages: 3, CancellationToken.None);

        Assert.False(coverage.Complete);
        Assert.Equal(3, coverage.Entries.Count);
        Assert.Equal(["/coverage/list", "/coverage/list", "/coverage/list", "/coverage/statistics/list"],
            _server.LogEntries.Select(e => e.RequestMessage.Path));
        var tokens = _server.LogEntries.Where(e => e.RequestMessage.Path == "/coverage/list")
            .Select(e => (string?)JsonNode.Parse(e.RequestMessage.Body!)!["nextToken"]).ToList();
        Assert.Equal([null, "page-2", "page-2"], tokens);
    }

    [Fact]
    public async Task CoverageAsync_WhenStatisticsAreDenied_BecomesASentenceNamingThatPermission()
    {
        Answer("/coverage/list", """{"coveredResources":[],"nextToken":"page-2"}""");
        _server.Given(Request.Create().WithPath("/coverage/statistics/list").UsingPost()).RespondWith(Response.Create().WithStatusCode(403)
            .WithHeader("x-amzn-ErrorType", "AccessDeniedException")
            .WithBody("""{"message":"not authorized to perform: inspector2:ListCoverageStatistics"}"""));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => _client.CoverageAsync(Prod, maxPages: 1, CancellationToken.None));

        Assert.Equal(AwsOperations.InspectorListCoverageStatistics, e.Operation);
        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
    }

    [Fact]
    public async Task FindingsByInstanceAsync_AggregatesByInstanceWithTagFilters()
    {
        Answer("/findings/aggregation/list", """{"aggregationType":"AWS_EC2_INSTANCE","responses":[{"ec2InstanceAggregation":{"instanceId":"i-01","instanceTags":{"Name":"web-1","Environment":"prod"},"severityCounts":{"all":10,"critical":2,"high":4,"medium":3}}},{"ec2InstanceAggregation":{"instanceId":"i-02","severityCounts":{"all":1}}}]}""");

        var rows = await _client.FindingsByInstanceAsync(Prod, CancellationToken.None);

        Assert.Equal(new InstanceFindings("i-01", "web-1", new SeverityCounts(10, 2, 4, 3)), rows[0]);
        Assert.Equal(new InstanceFindings("i-02", null, new SeverityCounts(1, 0, 0, 0)), rows[1]);
        var body = Body();
        Assert.Equal("AWS_EC2_INSTANCE", (string?)body["aggregationType"]);
        Assert.Equal("""[{"comparison":"EQUALS","key":"Environment","value":"prod"}]""",
            body["aggregationRequest"]!["ec2InstanceAggregation"]!["instanceTags"]!.ToJsonString());
    }

    [Fact]
    public async Task TopFindingsAsync_AsksForActiveCriticalAndHighOnTheTaggedInstances()
    {
        Answer("/findings/list", """{"findings":[{"findingArn":"arn:f1","awsAccountId":"111122223333","severity":"CRITICAL","status":"ACTIVE","type":"PACKAGE_VULNERABILITY","title":"CVE-2024-6387 - openssh","fixAvailable":"YES","resources":[{"id":"i-01","type":"AWS_EC2_INSTANCE"}],"packageVulnerabilityDetails":{"vulnerabilityId":"CVE-2024-6387","vulnerablePackages":[{"name":"openssh-server","version":"8.7"}]}}]}""");

        var top = await _client.TopFindingsAsync(Prod, 5, CancellationToken.None);

        Assert.Equal(new FindingDetail("i-01", "CRITICAL", "CVE-2024-6387 - openssh", "CVE-2024-6387", "openssh-server", "YES"), Assert.Single(top));
        var body = Body();
        Assert.Equal(5, (int?)body["maxResults"]);
        var filter = body["filterCriteria"]!;
        Assert.Equal("""[{"comparison":"EQUALS","key":"Environment","value":"prod"}]""", filter["resourceTags"]!.ToJsonString());
        Assert.Equal("""[{"comparison":"EQUALS","value":"CRITICAL"},{"comparison":"EQUALS","value":"HIGH"}]""", filter["severity"]!.ToJsonString());
        Assert.Equal("""[{"comparison":"EQUALS","value":"ACTIVE"}]""", filter["findingStatus"]!.ToJsonString());
    }

    [Fact]
    public async Task ListScansAsync_FiltersByNamePrefixNewestFirst()
    {
        Answer("/cis/scan/list", """{"scans":[{"scanArn":"arn:scan/1","scanConfigurationArn":"arn:config/1","scanName":"SecurityAlexa-Environment-prod-20261129T102800Z","status":"COMPLETED","scanDate":1795948080,"failedChecks":9,"totalChecks":121,"targets":{"accountIds":["111122223333"],"targetResourceTags":{"Environment":["prod"]}}}],"nextToken":"more"}""");

        var page = await _client.ListScansAsync(new CisScanQuery(NamePrefix: "SecurityAlexa-Environment-prod-"), null, CancellationToken.None);

        var scan = Assert.Single(page.Items);
        Assert.Equal((CisScanState.Completed, 9, 121), (scan.State, scan.FailedChecks, scan.TotalChecks));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 28, 0, TimeSpan.Zero), scan.StartedAt);
        Assert.Equal(["prod"], scan.TargetTags["Environment"]);
        Assert.Equal("more", page.NextToken);
        var body = Body();
        Assert.Equal("""{"scanNameFilters":[{"comparison":"PREFIX","value":"SecurityAlexa-Environment-prod-"}]}""", body["filterCriteria"]!.ToJsonString());
        Assert.Equal(("SCAN_START_DATE", "DESC"), ((string?)body["sortBy"], (string?)body["sortOrder"]));
    }

    [Fact]
    public async Task ScanResultsAsync_ReadsPerInstanceCountsFromTheResourceRoute()
    {
        Answer("/cis/scan-result/resource/list", """{"targetResourceAggregations":[{"scanArn":"arn:scan/1","targetResourceId":"i-01","statusCounts":{"passed":110,"failed":9,"skipped":2},"targetStatus":"COMPLETED"},{"scanArn":"arn:scan/1","targetResourceId":"i-02","targetStatus":"COMPLETED","targetStatusReason":"SSM_UNMANAGED"}]}""");

        var results = await _client.ScanResultsAsync("arn:scan/1", 100, CancellationToken.None);

        Assert.True(results.Complete);
        Assert.Equal(new CisInstanceResult("i-01", 110, 9, 2, "COMPLETED", null), results.Items[0]);
        Assert.Equal("SSM_UNMANAGED", results.Items[1].StatusReason);
        var body = Body();
        Assert.Equal("arn:scan/1", (string?)body["scanArn"]);
        // Most failed checks first, so the first page holds the instances worth naming.
        Assert.Equal(("FAILED_COUNTS", "DESC", 100), ((string?)body["sortBy"], (string?)body["sortOrder"], (int?)body["maxResults"]));
    }

    [Fact]
    public async Task ScanResultsAsync_WhenMorePagesRemainThanAllowed_StopsAndSaysTheListIsIncomplete()
    {
        // Every page says there is another: the client must stop after the pages maxRows allows.
        Answer("/cis/scan-result/resource/list", """{"targetResourceAggregations":[{"targetResourceId":"i-01","statusCounts":{"passed":1,"failed":9}}],"nextToken":"again"}""");

        var results = await _client.ScanResultsAsync("arn:scan/1", 100, CancellationToken.None);

        Assert.False(results.Complete);
        Assert.Single(_server.LogEntries);
        Assert.Single(results.Items);
    }

    [Fact]
    public async Task WorstInstancesAsync_ReadsAtMostTheAllowedPages_WorstFirst_AndFollowsNextToken()
    {
        _server.Given(Request.Create().WithPath("/findings/aggregation/list").UsingPost().WithBody(b => b is not null && !b.Contains("nextToken", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithBody("""{"responses":[{"ec2InstanceAggregation":{"instanceId":"i-01","severityCounts":{"all":9,"critical":5}}}],"nextToken":"page-2"}"""));
        _server.Given(Request.Create().WithPath("/findings/aggregation/list").UsingPost().WithBody(b => b is not null && b.Contains("\"nextToken\":\"page-2\"", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithBody("""{"responses":[{"ec2InstanceAggregation":{"instanceId":"i-02","severityCounts":{"all":3,"critical":1}}}],"nextToken":"page-3"}"""));

        var rows = await _client.WorstInstancesAsync(Prod, "HIGH", 200, CancellationToken.None);

        Assert.False(rows.Complete);
        Assert.Equal(["i-01", "i-02"], rows.Items.Select(r => r.InstanceId));
        Assert.Equal(2, _server.LogEntries.Count);
        var first = Body(0);
        Assert.Null(first["nextToken"]);
        Assert.Equal(100, (int?)first["maxResults"]);
        var aggregation = first["aggregationRequest"]!["ec2InstanceAggregation"]!;
        Assert.Equal(("HIGH", "DESC"), ((string?)aggregation["sortBy"], (string?)aggregation["sortOrder"]));
        Assert.Equal("""[{"comparison":"EQUALS","key":"Environment","value":"prod"}]""", aggregation["instanceTags"]!.ToJsonString());
        Assert.Equal("page-2", (string?)Body(1)["nextToken"]);
    }

    [Fact]
    public async Task WorstInstancesAsync_WhenTheLastPageArrivesWithinTheBound_IsComplete()
    {
        Answer("/findings/aggregation/list", """{"responses":[{"ec2InstanceAggregation":{"instanceId":"i-01","severityCounts":{"all":1}}}]}""");

        var rows = await _client.WorstInstancesAsync(Prod, "CRITICAL", 200, CancellationToken.None);

        Assert.True(rows.Complete);
        Assert.Single(_server.LogEntries);
    }

    [Theory]
    [InlineData("SUCCEEDED", "https://reports.example/report.csv")]
    [InlineData("IN_PROGRESS", null)]
    public async Task ReportUrlAsync_GivesTheLinkOnlyWhenTheReportIsReady(string status, string? expected)
    {
        Answer("/cis/scan/report/get", $$"""{"status":"{{status}}","url":"https://reports.example/report.csv"}""");

        Assert.Equal(expected, await _client.ReportUrlAsync("arn:scan/1", CancellationToken.None));
        Assert.Equal("CSV", (string?)Body()["reportFormat"]);
    }

    [Fact]
    public async Task ListFindings_WhenThrottledOnce_RetriesAndSucceeds()
    {
        _server.Given(Request.Create().WithPath("/findings/list").UsingPost()).InScenario("throttle").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("x-amzn-ErrorType", "ThrottlingException").WithBody("""{"message":"Rate exceeded"}"""));
        _server.Given(Request.Create().WithPath("/findings/list").UsingPost()).InScenario("throttle").WhenStateIs("ok")
            .RespondWith(Response.Create().WithBody("""{"findings":[]}"""));

        var top = await _client.TopFindingsAsync(Prod, 5, CancellationToken.None);

        Assert.Empty(top);
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task CoverageAsync_WhenAccessDenied_BecomesASentenceNamingThePermission()
    {
        _server.Given(Request.Create().WithPath("/coverage/list").UsingPost()).RespondWith(Response.Create().WithStatusCode(403)
            .WithHeader("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/")
            .WithBody("""{"message":"User: arn:aws:sts::111122223333:assumed-role/skill is not authorized to perform: inspector2:ListCoverage"}"""));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => _client.CoverageAsync(Prod, maxPages: 1, CancellationToken.None));

        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
        Assert.Equal("I'm not allowed to call inspector2:ListCoverage. Add that permission to the function's role, then try again.",
            ErrorSpeech.ForAws(SpeechCatalog.LoadEmbedded().For("en-US"), e).Text);
    }
}
