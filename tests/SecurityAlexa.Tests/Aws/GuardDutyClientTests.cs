using System.Text.Json.Nodes;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.GuardDuty;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Aws;

/// <summary>The GuardDuty REST-JSON client against WireMock, with bodies in the shape the service model gives them.</summary>
public sealed class GuardDutyClientTests : IDisposable
{
    internal const string Detector = "12abc34d567e8fa901bc2d34e56789f0";
    internal const string Account = "111122223333";
    private static readonly DateTimeOffset Since = new(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer _server = FakeAws.Server();
    private readonly GuardDutyClient _client;

    public GuardDutyClientTests() => _client = new GuardDutyClient(FakeAws.Client(_server, AwsService.GuardDuty), FakeAws.Region, Account);

    public void Dispose() => _server.Dispose();

    /// <summary>GetFindings as GuardDuty answers it: one instance finding (web-1) and one about an IAM principal.</summary>
    internal const string TwoFindings = """
        {"findings":[
          {"accountId":"111122223333","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/8ac6a1f2b3c4d5e6f708192a3b4c5d01",
           "createdAt":"2026-12-06T20:31:07.155Z","description":"EC2 instance i-0a1b2c3d4e5f60001 is querying a domain name associated with a known command and control server.",
           "id":"8ac6a1f2b3c4d5e6f708192a3b4c5d01","partition":"aws","region":"us-east-1",
           "resource":{"instanceDetails":{"availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","instanceId":"i-0a1b2c3d4e5f60001",
             "instanceState":"running","instanceType":"t3.medium","launchTime":"2026-11-30T09:12:44.000Z",
             "networkInterfaces":[{"networkInterfaceId":"eni-0a1b2c3d4e5f600010","privateIpAddress":"10.0.1.11","subnetId":"subnet-0prod1","vpcId":"vpc-0a11prod",
               "securityGroups":[{"groupId":"sg-0web00000000000a1","groupName":"web"}]}],
             "tags":[{"key":"Environment","value":"prod"},{"key":"Name","value":"web-1"}]},"resourceType":"Instance"},
           "schemaVersion":"2.0",
           "service":{"action":{"actionType":"DNS_REQUEST","dnsRequestAction":{"domain":"c2.example.net","protocol":"UDP","blocked":false}},
             "archived":false,"count":14,"detectorId":"12abc34d567e8fa901bc2d34e56789f0","eventFirstSeen":"2026-12-06T20:31:07.000Z",
             "eventLastSeen":"2026-12-06T21:02:19.000Z","resourceRole":"ACTOR","serviceName":"guardduty"},
           "severity":8,"title":"Command and Control server domain name queried by EC2 instance i-0a1b2c3d4e5f60001.",
           "type":"Backdoor:EC2/C&CActivity.B!DNS","updatedAt":"2026-12-06T21:02:19.311Z"},
          {"accountId":"111122223333","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/0ec6a1f2b3c4d5e6f708192a3b4c5d05",
           "createdAt":"2026-12-06T07:10:00.000Z","id":"0ec6a1f2b3c4d5e6f708192a3b4c5d05","partition":"aws","region":"us-east-1",
           "resource":{"accessKeyDetails":{"accessKeyId":"ASIAEXAMPLEEXAMPLE","principalId":"AROAEXAMPLE:i-0a1b2c3d4e5f60002","userName":"web-role","userType":"AssumedRole"},
             "resourceType":"AccessKey"},
           "schemaVersion":"2.0","service":{"archived":false,"count":2,"detectorId":"12abc34d567e8fa901bc2d34e56789f0","serviceName":"guardduty"},
           "severity":5.0,"title":"Credentials for instance role web-role used from external IP address.",
           "type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS","updatedAt":"2026-12-06T07:15:00.000Z"}
        ]}
        """;

    private void Answer(string path, string body, int status = 200, string? errorType = null, bool get = false)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (errorType is not null) response = response.WithHeader("x-amzn-ErrorType", errorType);
        var request = Request.Create().WithPath(path);
        _server.Given(get ? request.UsingGet() : request.UsingPost()).RespondWith(response);
    }

    private JsonObject BodyOf(string path) =>
        JsonNode.Parse(_server.LogEntries.Single(e => e.RequestMessage.Path == path).RequestMessage.Body!)!.AsObject();

    [Fact]
    public async Task DetectorIdAsync_GetsDetector_SignedForGuardDuty_AtTheEndpointOverride()
    {
        Answer("/detector", $$"""{"detectorIds":["{{Detector}}"]}""", get: true);

        var id = await _client.DetectorIdAsync(CancellationToken.None);

        Assert.Equal(Detector, id);
        var entry = Assert.Single(_server.LogEntries);
        Assert.Equal("GET", entry.RequestMessage.Method);
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDSECURITYALEXATEST/\d{8}/us-east-1/guardduty/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$",
            FakeAws.Header(entry, "Authorization"));
    }

    [Fact]
    public async Task DetectorIdAsync_WhenTheRegionHasNoDetector_IsNull()
    {
        Answer("/detector", """{"detectorIds":[]}""", get: true);

        Assert.Null(await _client.DetectorIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CountAsync_AsksForOpenFindingsSinceTheTime_GroupedBySeverity_AndPutsEachSeverityInItsLevel()
    {
        Answer($"/detector/{Detector}/findings/statistics", """
            {"findingStatistics":{"groupedBySeverity":[
              {"lastGeneratedAt":1796590939,"severity":8.0,"totalFindings":3},
              {"lastGeneratedAt":1796580000,"severity":9.2,"totalFindings":1},
              {"lastGeneratedAt":1796570000,"severity":5.0,"totalFindings":2},
              {"lastGeneratedAt":1796560000,"severity":2.0,"totalFindings":4}]}}
            """);

        var counts = await _client.CountAsync(Detector, new ThreatQuery(Since, MinSeverity: 7, InstanceIds: ["i-0a1b2c3d4e5f60001"]), CancellationToken.None);

        Assert.Equal(new ThreatCounts(1, 3, 2, 4), counts);
        var body = BodyOf($"/detector/{Detector}/findings/statistics");
        Assert.Equal("SEVERITY", (string?)body["groupBy"]);
        Assert.Null(body["findingStatisticTypes"]);
        var criterion = body["findingCriteria"]!["criterion"]!.AsObject();
        Assert.Equal("""{"equals":["false"]}""", criterion["service.archived"]!.ToJsonString());
        Assert.Equal(Since.ToUnixTimeMilliseconds(), (long)criterion["updatedAt"]!["greaterThanOrEqual"]!);
        Assert.Equal(7, (long)criterion["severity"]!["greaterThanOrEqual"]!);
        Assert.Equal("""{"equals":["i-0a1b2c3d4e5f60001"]}""", criterion["resource.instanceDetails.instanceId"]!.ToJsonString());
        // No accounts asked about: this account's findings only, never an administrator's member accounts'.
        Assert.Equal($$"""{"equals":["{{Account}}"]}""", criterion["accountId"]!.ToJsonString());
    }

    [Fact]
    public async Task ListAsync_WithNoAccountsAskedAbout_AsksForThisAccountsFindingsOnly()
    {
        Answer($"/detector/{Detector}/findings", """{"findingIds":[]}""");

        await _client.MostSevereAsync(Detector, new ThreatQuery(Since), 5, CancellationToken.None);

        var criterion = BodyOf($"/detector/{Detector}/findings")["findingCriteria"]!["criterion"]!.AsObject();
        Assert.Equal($$"""{"equals":["{{Account}}"]}""", criterion["accountId"]!.ToJsonString());
    }

    [Fact]
    public async Task CountAsync_WithAccountsAskedAbout_FiltersByThem()
    {
        Answer($"/detector/{Detector}/findings/statistics", """{"findingStatistics":{"groupedBySeverity":[]}}""");

        var counts = await _client.CountAsync(Detector, new ThreatQuery(Since, AccountIds: ["444455556666"]), CancellationToken.None);

        Assert.Equal(0, counts.Total);
        var criterion = BodyOf($"/detector/{Detector}/findings/statistics")["findingCriteria"]!["criterion"]!.AsObject();
        Assert.Equal("""{"equals":["444455556666"]}""", criterion["accountId"]!.ToJsonString());
        Assert.Null(criterion["severity"]);
    }

    [Fact]
    public async Task MostSevereAsync_ListsOnePageBySeverity_ThenGetsThoseFindings()
    {
        Answer($"/detector/{Detector}/findings", """{"findingIds":["8ac6a1f2b3c4d5e6f708192a3b4c5d01","0ec6a1f2b3c4d5e6f708192a3b4c5d05"],"nextToken":"AAAAAQ=="}""");
        Answer($"/detector/{Detector}/findings/get", TwoFindings);

        var findings = await _client.MostSevereAsync(Detector, new ThreatQuery(Since), 10, CancellationToken.None);

        Assert.Equal(2, findings.Count);
        var web1 = findings[0];
        Assert.Equal(new ThreatFinding("8ac6a1f2b3c4d5e6f708192a3b4c5d01", "Backdoor:EC2/C&CActivity.B!DNS", 8,
            "Command and Control server domain name queried by EC2 instance i-0a1b2c3d4e5f60001.", "i-0a1b2c3d4e5f60001", "web-1", Account,
            new DateTimeOffset(2026, 12, 6, 21, 2, 19, 311, TimeSpan.Zero)), web1);
        Assert.Null(findings[1].InstanceId);
        var list = BodyOf($"/detector/{Detector}/findings");
        Assert.Equal("""{"attributeName":"severity","orderBy":"DESC"}""", list["sortCriteria"]!.ToJsonString());
        Assert.Equal(10, (int)list["maxResults"]!);
        Assert.Null(list["nextToken"]);
        var get = BodyOf($"/detector/{Detector}/findings/get");
        Assert.Equal("""["8ac6a1f2b3c4d5e6f708192a3b4c5d01","0ec6a1f2b3c4d5e6f708192a3b4c5d05"]""", get["findingIds"]!.ToJsonString());
        // One page only, whatever nextToken says: the number of calls does not grow with the findings.
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task MostSevereAsync_WhenNothingMatches_MakesNoGetFindingsCall()
    {
        Answer($"/detector/{Detector}/findings", """{"findingIds":[]}""");

        var findings = await _client.MostSevereAsync(Detector, new ThreatQuery(Since), 10, CancellationToken.None);

        Assert.Empty(findings);
        Assert.DoesNotContain(_server.LogEntries, e => e.RequestMessage.Path!.EndsWith("/findings/get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartMalwareScanAsync_SendsTheInstanceArn_AndAShortIdempotencyToken()
    {
        Answer("/malware-scan/start", """{"scanId":"b71a2b3c4de5f60718293a4b5c6d7e8f90a1"}""");

        var scanId = await _client.StartMalwareScanAsync("i-0a1b2c3d4e5f60001", "amzn1.echo-api.request.0b7e2c61-49ab-4a1f-9a44-2b5b6e6b0f3a-very-long",
            CancellationToken.None);

        Assert.Equal("b71a2b3c4de5f60718293a4b5c6d7e8f90a1", scanId);
        var body = BodyOf("/malware-scan/start");
        Assert.Equal("arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001", (string?)body["resourceArn"]);
        Assert.InRange(((string?)body["clientToken"])!.Length, 1, 64);
        Assert.Null(body["scanConfiguration"]);
    }

    [Fact]
    public async Task LatestMalwareScanAsync_ForAnInstanceWithoutTheAccountId_RefusesRatherThanAnswerWithAnyInstancesScan()
    {
        var client = new GuardDutyClient(FakeAws.Client(_server, AwsService.GuardDuty), FakeAws.Region, accountId: null);

        var e = await Assert.ThrowsAsync<AwsCallException>(() =>
            client.LatestMalwareScanAsync(Detector, new MalwareScanQuery(null, "i-0a1b2c3d4e5f60001"), CancellationToken.None));

        Assert.Equal(AwsFailure.InvalidRequest, e.Failure);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task StartMalwareScanAsync_WithoutTheAccountId_RefusesWithoutCallingAws()
    {
        var client = new GuardDutyClient(FakeAws.Client(_server, AwsService.GuardDuty), FakeAws.Region, accountId: null);

        var e = await Assert.ThrowsAsync<AwsCallException>(() => client.StartMalwareScanAsync("i-0a1b2c3d4e5f60001", "t", CancellationToken.None));

        Assert.Equal(AwsFailure.InvalidRequest, e.Failure);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task LatestMalwareScanAsync_ByScanId_FiltersOnTheIdNewestFirst_AndReadsTheResult()
    {
        Answer($"/detector/{Detector}/malware-scans", """
            {"scans":[{"detectorId":"12abc34d567e8fa901bc2d34e56789f0","scanId":"b71a2b3c4de5f60718293a4b5c6d7e8f90a1","scanStatus":"COMPLETED",
              "scanStartTime":1796591400,"scanEndTime":1796591785.5,
              "triggerDetails":{"description":"On-demand scan"},
              "resourceDetails":{"instanceArn":"arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001"},
              "scanResultDetails":{"scanResult":"INFECTED"},"accountId":"111122223333","totalBytes":8589934592,"fileCount":18342,
              "attachedVolumes":[{"volumeArn":"arn:aws:ec2:us-east-1:111122223333:volume/vol-0a1b2c3d4e5f60001","volumeType":"gp3","deviceName":"/dev/xvda","volumeSizeInGB":8,"encryptionType":"UNENCRYPTED"}],
              "scanType":"ON_DEMAND"}]}
            """);

        var scan = await _client.LatestMalwareScanAsync(Detector, new MalwareScanQuery("b71a2b3c4de5f60718293a4b5c6d7e8f90a1", "i-0a1b2c3d4e5f60001"),
            CancellationToken.None);

        Assert.NotNull(scan);
        Assert.Equal("COMPLETED", scan.Status);
        Assert.Equal("INFECTED", scan.Result);
        Assert.Equal("i-0a1b2c3d4e5f60001", scan.InstanceId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796591400), scan.StartedAt);
        Assert.Equal(18342, scan.FileCount);
        var body = BodyOf($"/detector/{Detector}/malware-scans");
        // The service takes one criterion: the id wins over the instance.
        Assert.Equal("""{"filterCriterion":[{"criterionKey":"SCAN_ID","filterCondition":{"equalsValue":"b71a2b3c4de5f60718293a4b5c6d7e8f90a1"}}]}""",
            body["filterCriteria"]!.ToJsonString());
        Assert.Equal("""{"attributeName":"scanStartTime","orderBy":"DESC"}""", body["sortCriteria"]!.ToJsonString());
        Assert.Equal(1, (int)body["maxResults"]!);
    }

    [Fact]
    public async Task LatestMalwareScanAsync_ByInstance_FiltersOnItsArn_AndNoneIsNull()
    {
        Answer($"/detector/{Detector}/malware-scans", """{"scans":[]}""");

        var scan = await _client.LatestMalwareScanAsync(Detector, new MalwareScanQuery(null, "i-0c3d4e5f6a7b80004"), CancellationToken.None);

        Assert.Null(scan);
        Assert.Equal("""{"filterCriterion":[{"criterionKey":"EC2_INSTANCE_ARN","filterCondition":{"equalsValue":"arn:aws:ec2:us-east-1:111122223333:instance/i-0c3d4e5f6a7b80004"}}]}""",
            BodyOf($"/detector/{Detector}/malware-scans")["filterCriteria"]!.ToJsonString());
    }

    [Fact]
    public async Task ListDetectors_WhenThrottledOnce_RetriesAndSucceeds()
    {
        _server.Given(Request.Create().WithPath("/detector").UsingGet()).InScenario("throttle").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("x-amzn-ErrorType", "TooManyRequestsException")
                .WithBody("""{"message":"Rate exceeded","__type":"TooManyRequestsException"}"""));
        _server.Given(Request.Create().WithPath("/detector").UsingGet()).InScenario("throttle").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"detectorIds":["{{Detector}}"]}"""));

        Assert.Equal(Detector, await _client.DetectorIdAsync(CancellationToken.None));
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task GetFindingsStatistics_WhenAlwaysThrottled_FailsAsThrottled_NamedByItsIamAction()
    {
        Answer($"/detector/{Detector}/findings/statistics", """{"message":"Rate exceeded"}""", 429, "TooManyRequestsException");

        var e = await Assert.ThrowsAsync<AwsCallException>(() => _client.CountAsync(Detector, new ThreatQuery(Since), CancellationToken.None));

        Assert.Equal(AwsFailure.Throttled, e.Failure);
        Assert.Equal("guardduty:GetFindingsStatistics", e.Operation);
        Assert.Equal(4, _server.LogEntries.Count);
    }

    [Fact]
    public async Task ListFindings_WhenAccessIsDenied_FailsAsAccessDenied_WithoutRetrying()
    {
        Answer($"/detector/{Detector}/findings", """{"message":"User is not authorized to perform: guardduty:ListFindings","__type":"AccessDeniedException"}""",
            403, "AccessDeniedException");

        var e = await Assert.ThrowsAsync<AwsCallException>(() => _client.MostSevereAsync(Detector, new ThreatQuery(Since), 5, CancellationToken.None));

        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task DetectorIdAsync_WhenGuardDutyIsSlowerThanTheDeadline_FailsAsATimeOut()
    {
        _server.Given(Request.Create().WithPath("/detector").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5)).WithBody("""{"detectorIds":[]}"""));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AwsCallException>(() => _client.DetectorIdAsync(deadline.Token));

        Assert.Equal(AwsFailure.Timeout, e.Failure);
        Assert.Equal("guardduty:ListDetectors", e.Operation);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), started.Elapsed.ToString());
    }
}
