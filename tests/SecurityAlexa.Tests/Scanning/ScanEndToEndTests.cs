using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.Scanning;

/// <summary>
/// Whole conversations through the real entry point, with AWS faked only at its edges: EC2 as a Moq
/// IAmazonEC2, Inspector as a WireMock server reached over signed HTTP.
/// </summary>
public sealed class ScanEndToEndTests : IDisposable
{
    private const string ConfigArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/0f1e2d3c";
    private const string ScanArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-scan/624b746d-e080-44ae-8c1d-48e653365a38";
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 28, 0, TimeSpan.Zero);

    private readonly WireMockServer _inspector = FakeAws.Server();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SkillDriver _driver;

    public ScanEndToEndTests()
    {
        var directory = new Ec2InstanceDirectory(Ec2Fleet.Standard().Client);
        _driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, _time),
            Scanner = new Inspector2Client(FakeAws.Client(_inspector, AwsService.Inspector2)),
        }, time: _time);
    }

    public void Dispose() => _inspector.Dispose();

    private void Answer(string path, string body, int status = 200, string? errorType = null)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (errorType is not null) response = response.WithHeader("x-amzn-ErrorType", errorType);
        _inspector.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(response);
    }

    private List<JsonObject> Bodies(string path) => _inspector.LogEntries
        .Where(e => e.RequestMessage.Path == path)
        .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject())
        .ToList();

    [Fact]
    public async Task ScanProdThenWhatDidItFind_SpeaksTheStartThenTheResults()
    {
        Answer("/status/batch/get", """{"accounts":[{"accountId":"111122223333","resourceState":{"ec2":{"status":"ENABLED"},"ecr":{"status":"DISABLED"}},"state":{"status":"ENABLED"}}]}""");
        Answer("/cis/scan-configuration/create", $$"""{"scanConfigurationArn":"{{ConfigArn}}"}""");
        Answer("/coverage/list", """
            {"coveredResources":[
              {"accountId":"111122223333","resourceId":"i-0a1b2c3d4e5f60001","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1795940880},
              {"accountId":"111122223333","resourceId":"i-0a1b2c3d4e5f60002","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1795941000},
              {"accountId":"111122223333","resourceId":"i-0a1b2c3d4e5f64f2a","resourceType":"AWS_EC2_INSTANCE","scanType":"PACKAGE","scanStatus":{"statusCode":"INACTIVE","reason":"UNMANAGED_EC2_INSTANCE"}}]}
            """);
        Answer("/cis/scan/list", """{"scans":[{"scanArn":"SCAN_ARN","scanConfigurationArn":"CONFIG_ARN","scanName":"SecurityAlexa-Environment-prod-20261129T102800Z","status":"COMPLETED","scanDate":1795948140,"failedChecks":21,"totalChecks":230,"targets":{"accountIds":["111122223333"],"targetResourceTags":{"Environment":["prod"]}}}]}"""
            .Replace("SCAN_ARN", ScanArn, StringComparison.Ordinal).Replace("CONFIG_ARN", ConfigArn, StringComparison.Ordinal));
        Answer("/cis/scan-result/resource/list", $$"""
            {"targetResourceAggregations":[
              {"scanArn":"{{ScanArn}}","targetResourceId":"i-0a1b2c3d4e5f60001","statusCounts":{"passed":101,"failed":14,"skipped":3},"targetStatus":"COMPLETED"},
              {"scanArn":"{{ScanArn}}","targetResourceId":"i-0a1b2c3d4e5f60002","statusCounts":{"passed":108,"failed":7,"skipped":3},"targetStatus":"COMPLETED"},
              {"scanArn":"{{ScanArn}}","targetResourceId":"i-0a1b2c3d4e5f64f2a","targetStatus":"COMPLETED","targetStatusReason":"SSM_UNMANAGED"}]}
            """);
        Answer("/findings/aggregation/list", """
            {"aggregationType":"AWS_EC2_INSTANCE","responses":[
              {"ec2InstanceAggregation":{"instanceId":"i-0a1b2c3d4e5f60001","instanceTags":{"Name":"web-1"},"severityCounts":{"all":9,"critical":2,"high":4,"medium":3}}},
              {"ec2InstanceAggregation":{"instanceId":"i-0a1b2c3d4e5f60002","instanceTags":{"Name":"web-2"},"severityCounts":{"all":9,"critical":0,"high":7,"medium":2}}}]}
            """);
        Answer("/findings/list", """{"findings":[{"findingArn":"arn:f1","severity":"CRITICAL","status":"ACTIVE","type":"PACKAGE_VULNERABILITY","title":"CVE-2024-6387 - openssh","fixAvailable":"YES","resources":[{"id":"i-0a1b2c3d4e5f60001","type":"AWS_EC2_INSTANCE"}],"packageVulnerabilityDetails":{"vulnerabilityId":"CVE-2024-6387","vulnerablePackages":[{"name":"openssh-server"}]}}]}""");
        Answer("/cis/scan/report/get", """{"status":"SUCCEEDED","url":"https://inspector-reports.example/cis.csv"}""");

        var scanProd = AlexaRequests.Intent("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null));
        var readBack = await _driver.SayAsync(scanProd);
        Assert.Equal("I'll start an Inspector scan of the 3 instances tagged Environment prod: db-1, web-1 and web-2. Shall I?", readBack.Speech);
        Assert.Empty(Bodies("/cis/scan-configuration/create"));
        var started = await _driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagKey", null), ("TagValue", "prod"), ("InstanceName", null)).Confirmation("CONFIRMED"));
        _time.Advance(TimeSpan.FromMinutes(15));
        var results = await _driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagKey", null), ("TagValue", null), ("InstanceName", null), ("Severity", null)));

        Assert.Equal("Scanning 3 instances tagged Environment prod. 2 of 3 are covered by continuous vulnerability scanning, last scanned 2 hours ago. "
            + "db-1 isn't covered, because its SSM agent isn't reporting. Ask me what the scan found in a few minutes.", started.Speech);
        Assert.Equal("The scan of the instances tagged Environment prod started at 10:29 UTC, 14 minutes ago, and has finished. 209 checks passed and 21 failed. "
            + "web-1 failed the most checks, 14. db-1 couldn't be checked, because it isn't managed by Systems Manager. "
            + "Inspector reports 2 critical and 11 high vulnerabilities on 2 instances: web-1 and web-2. web-1 has both critical ones. "
            + "To fix them, you can say: patch them.", results.Speech);
        Assert.Contains("CIS report (CSV): https://inspector-reports.example/cis.csv", results.CardText);

        var create = Bodies("/cis/scan-configuration/create").Single();
        Assert.Equal("SecurityAlexa-Environment-prod-20261129T102800Z", (string?)create["scanName"]);
        Assert.Equal("""{"Environment":["prod"]}""", create["targets"]!["targetResourceTags"]!.ToJsonString());
        var list = Bodies("/cis/scan/list").Single();
        Assert.Equal(ConfigArn, (string?)list["filterCriteria"]!["scanConfigurationArnFilters"]![0]!["value"]);
        Assert.All(_inspector.LogEntries, e => Assert.Contains("/us-east-1/inspector2/aws4_request", FakeAws.Header(e, "Authorization")));
    }

    [Fact]
    public async Task Scan_WhenInspectorDeniesAccess_NamesThePermissionAndStartsNothing()
    {
        Answer("/status/batch/get", """{"message":"not authorized"}""", 403, "AccessDeniedException");

        var reply = await _driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagValue", "prod")));

        Assert.Equal("I'm not allowed to call inspector2:BatchGetAccountStatus. Add that permission to the function's role, then try again.", reply.Speech);
        Assert.Empty(Bodies("/cis/scan-configuration/create"));
    }
}
