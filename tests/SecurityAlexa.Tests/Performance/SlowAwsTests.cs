using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// Alexa waits 8 seconds. With every AWS call taking 2 s (on a fake clock, through the real entry point and the real
/// adapters), every intent must still answer inside the skill's 7 s budget, and finish: the work the answer needs runs
/// at most three calls deep, and detail that would not arrive in time is left out instead of the answer.
/// </summary>
public sealed class SlowAwsTests
{
    private const string ScanArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-scan/slow";
    private const string ConfigArn = "arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/slow";

    private readonly SlowAws _aws = new();
    private readonly SkillDriver _driver;

    public SlowAwsTests() => _driver = Build(_aws);

    // The skill over the given AWS: EC2 from the standard fleet, Inspector with a finished CIS scan of prod and findings on web-1 and web-2.
    private static SkillDriver Build(SlowAws aws)
    {
        var directory = new Ec2InstanceDirectory(aws.Ec2(Ec2Fleet.Standard()));
        var driver = new SkillDriver(new SkillServices
        {
            Instances = directory,
            Targets = new TargetResolver(directory, aws.Time),
            Scanner = new Inspector2Client(aws.Inspector()),
        }, time: aws.Time);
        ScanningIs(aws, "ENABLED");
        aws.InspectorRoutes["/cis/scan-configuration/create"] = $$"""{"scanConfigurationArn":"{{ConfigArn}}"}""";
        aws.InspectorRoutes["/enable"] = """{"accounts":[{"accountId":"111122223333","status":"ENABLING","resourceStatus":{"ec2":"ENABLING"}}]}""";
        aws.InspectorRoutes["/coverage/list"] = """
            {"coveredResources":[
              {"resourceId":"i-0a1b2c3d4e5f60001","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1796115600},
              {"resourceId":"i-0a1b2c3d4e5f60002","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1796115600},
              {"resourceId":"i-0a1b2c3d4e5f64f2a","resourceType":"AWS_EC2_INSTANCE","scanStatus":{"statusCode":"ACTIVE","reason":"SUCCESSFUL"},"lastScannedAt":1796115600}]}
            """;
        aws.InspectorRoutes["/cis/scan/list"] = $$"""
            {"scans":[{"scanArn":"{{ScanArn}}","scanConfigurationArn":"{{ConfigArn}}","scanName":"SecurityAlexa-Environment-prod-20261130T080000Z",
              "status":"COMPLETED","scanDate":1796112000,"failedChecks":21,"totalChecks":230,
              "targets":{"accountIds":["111122223333"],"targetResourceTags":{"Environment":["prod"]} } }]}
            """;
        aws.InspectorRoutes["/cis/scan-result/resource/list"] = $$"""
            {"targetResourceAggregations":[
              {"scanArn":"{{ScanArn}}","targetResourceId":"i-0a1b2c3d4e5f60001","statusCounts":{"passed":101,"failed":14,"skipped":3},"targetStatus":"COMPLETED"},
              {"scanArn":"{{ScanArn}}","targetResourceId":"i-0a1b2c3d4e5f60002","statusCounts":{"passed":108,"failed":7,"skipped":3},"targetStatus":"COMPLETED"}]}
            """;
        aws.InspectorRoutes["/findings/aggregation/list"] = """
            {"aggregationType":"AWS_EC2_INSTANCE","responses":[
              {"ec2InstanceAggregation":{"instanceId":"i-0a1b2c3d4e5f60001","instanceTags":{"Name":"web-1"},"severityCounts":{"all":9,"critical":2,"high":4,"medium":3}}},
              {"ec2InstanceAggregation":{"instanceId":"i-0a1b2c3d4e5f60002","instanceTags":{"Name":"web-2"},"severityCounts":{"all":9,"critical":0,"high":7,"medium":2}}}]}
            """;
        aws.InspectorRoutes["/findings/list"] = """
            {"findings":[{"severity":"CRITICAL","status":"ACTIVE","title":"CVE-2024-6387 - openssh","fixAvailable":"YES",
              "resources":[{"id":"i-0a1b2c3d4e5f60001","type":"AWS_EC2_INSTANCE"}],
              "packageVulnerabilityDetails":{"vulnerabilityId":"CVE-2024-6387","vulnerablePackages":[{"name":"openssh-server"}]}}]}
            """;
        aws.InspectorRoutes["/cis/scan/report/get"] = """{"status":"SUCCEEDED","url":"https://inspector-reports.example/cis.csv"}""";
        return driver;
    }

    private TimeSpan Budget => _driver.Host.Config.ResponseBudget;

    private static void ScanningIs(SlowAws aws, string status) =>
        aws.InspectorRoutes["/status/batch/get"] = $$"""{"accounts":[{"accountId":"111122223333","resourceState":{"ec2":{"status":"{{status}}"} },"state":{"status":"ENABLED"} }]}""";

    private static AlexaRequests ProdTag(string intent) =>
        AlexaRequests.Intent(intent, ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null));

    // The speech of an answer that ran out of time: the pipeline's own, or an AWS call cut off by the deadline.
    private void AssertNotCutOff(AlexaReply reply)
    {
        Assert.DoesNotContain(_driver.Lang.Text("error.timeout"), reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("in time", reply.Speech, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LaunchRequest")]
    [InlineData("AMAZON.HelpIntent")]
    [InlineData("AMAZON.StopIntent")]
    [InlineData("AMAZON.CancelIntent")]
    [InlineData("AMAZON.FallbackIntent")]
    [InlineData("AMAZON.NavigateHomeIntent")]
    [InlineData("AMAZON.YesIntent")]
    [InlineData("AMAZON.NoIntent")]
    public async Task BuiltIns_WhenAwsIsSlow_AnswerAtOnceWithoutCallingAws(string intent)
    {
        var request = intent == "LaunchRequest" ? AlexaRequests.Launch() : AlexaRequests.Intent(intent);

        var (reply, waited) = await _aws.SayAsync(_driver, request);

        Assert.Empty(_aws.Calls);
        Assert.Equal(TimeSpan.Zero, waited);
        Assert.NotEmpty(reply.Speech);
        AssertNotCutOff(reply);
    }

    [Fact]
    public async Task ScanIntent_WhenEveryCallTakesTwoSeconds_StartsTheScanWithinTheBudget()
    {
        var (reply, waited) = await _aws.SayAsync(_driver, ProdTag("ScanIntent"));

        Assert.InRange(waited, TimeSpan.Zero, Budget);
        AssertNotCutOff(reply);
        Assert.StartsWith("Scanning 3 instances tagged Environment prod.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("All 3 are covered", reply.Speech, StringComparison.Ordinal);
        Assert.Single(_aws.Calls, AwsOperations.InspectorCreateCisScanConfiguration);
        // Three calls deep: tags, then instances (with the account status alongside), then the scan (with coverage alongside).
        Assert.Equal(3 * SlowAws.CallDelay, waited);
    }

    [Fact]
    public async Task ScanIntent_WhenScanningIsOffAndAwsIsSlow_AsksThenEnablesAndScansWithinTheBudget()
    {
        ScanningIs(_aws, "DISABLED");
        var (question, askedAfter) = await _aws.SayAsync(_driver, ProdTag("ScanIntent"));
        Assert.InRange(askedAfter, TimeSpan.Zero, Budget);
        Assert.Contains("Shall I turn on EC2 scanning", question.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(AwsOperations.InspectorEnable, _aws.Calls);

        var (done, doneAfter) = await _aws.SayAsync(_driver, ProdTag("ScanIntent").Confirmation("CONFIRMED"));

        Assert.InRange(doneAfter, TimeSpan.Zero, Budget);
        AssertNotCutOff(done);
        Assert.StartsWith("I turned on EC2 scanning. Scanning 3 instances", done.Speech, StringComparison.Ordinal);
        Assert.Single(_aws.Calls, AwsOperations.InspectorEnable);
        Assert.Single(_aws.Calls, AwsOperations.InspectorCreateCisScanConfiguration);
    }

    [Fact]
    public async Task ScanResultsIntent_ByTag_WhenAwsIsSlow_AnswersWithTheScanTotalsAndSeveritiesWithinTheBudget()
    {
        var (reply, waited) = await _aws.SayAsync(_driver, ProdTag("ScanResultsIntent"));

        Assert.InRange(waited, TimeSpan.Zero, Budget);
        AssertNotCutOff(reply);
        // The per-instance checks would be a fourth call deep: the scan's own totals are spoken instead.
        Assert.Contains("and has finished. 209 checks passed and 21 failed.", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("failed the most checks", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("Inspector reports 2 critical and 11 high vulnerabilities on 2 instances: web-1 and web-2.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("patch them", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanResultsIntent_WithNothingNamed_WhenAwsIsSlow_AnswersWithinTheBudget()
    {
        var (reply, waited) = await _aws.SayAsync(_driver, AlexaRequests.Intent("ScanResultsIntent"));

        Assert.InRange(waited, TimeSpan.Zero, Budget);
        AssertNotCutOff(reply);
        Assert.Contains("The scan of the instances tagged Environment prod started at 8:00 UTC", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("2 critical and 11 high vulnerabilities", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanResultsIntent_WhenAwsIsFast_StillGivesThePerInstanceDetail()
    {
        // The same request with AWS answering at once: nothing is left out when there is time for it.
        var fast = new SlowAws(TimeSpan.Zero);
        var driver = Build(fast);

        var (reply, waited) = await fast.SayAsync(driver, ProdTag("ScanResultsIntent"));

        Assert.Equal(TimeSpan.Zero, waited);
        Assert.Contains("web-1 failed the most checks, 14.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains(AwsOperations.InspectorGetCisScanReport, fast.Calls);
        Assert.Contains("https://inspector-reports.example/cis.csv", reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnableScanningIntent_WhenAwsIsSlow_ReadsBackThenEnablesWithinTheBudget()
    {
        ScanningIs(_aws, "DISABLED");
        var (question, askedAfter) = await _aws.SayAsync(_driver, AlexaRequests.Intent("EnableScanningIntent"));
        Assert.InRange(askedAfter, TimeSpan.Zero, Budget);
        Assert.Contains("Shall I turn it on?", question.Speech, StringComparison.Ordinal);

        var (done, doneAfter) = await _aws.SayAsync(_driver, AlexaRequests.Intent("EnableScanningIntent").Confirmation("CONFIRMED"));

        Assert.InRange(doneAfter, TimeSpan.Zero, Budget);
        AssertNotCutOff(done);
        Assert.Equal(_driver.Lang.Text("scan.enable.done"), done.Speech);
    }
}
