using Amazon.EC2.Model;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Aws;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// Whole conversations through the real entry point: GuardDuty as a WireMock server reached over signed HTTP (its
/// bodies in the service's shape), EC2 as the Moq fleet the isolation tests use.
/// </summary>
public sealed class GuardDutyConversationTests : GuardDutyConversationBase
{
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string ScanId = "b71a2b3c4de5f60718293a4b5c6d7e8f90a1";

    private IReadOnlyList<string> Paths => _guardDuty.LogEntries.Select(e => e.RequestMessage.Path!).ToList();

    private static AlexaRequests MalwareScan(string? instance) =>
        AlexaRequests.Intent("MalwareScanIntent", ("InstanceName", instance), ("ConfirmCount", null), ("SecurityCode", null));

    [Fact]
    public async Task WhatDidGuardDutyFind_ThenIsolateTheInstanceFromThatFinding_ThenYes_IsolatesWeb1WithTheFindingAsTheReason()
    {
        AnswerFindings();
        var driver = Driver();

        var findings = await driver.SayAsync(Findings());

        Assert.StartsWith("In the last 24 hours, GuardDuty reported 6 findings: 2 high, 3 medium and 1 low. The most severe first. "
            + "On web-1, an instance talking to a known command-and-control server, high severity. "
            + "In the account, an instance's credentials being used from outside AWS, medium severity. "
            + "To cut web-1 off the network, say: isolate the instance from that finding.", findings.Speech);
        Assert.DoesNotContain("Backdoor:", findings.Speech, StringComparison.Ordinal);
        // The ids and types are on the card.
        Assert.Contains("Backdoor:EC2/C&CActivity.B!DNS", findings.CardText);
        Assert.Contains("id " + C2Finding, findings.CardText);
        Assert.Contains("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", findings.CardText);
        Assert.Empty(_net.MutatingCalls);

        var readBack = await driver.SayAsync(IsolateFinding());

        Assert.Equal("Isolating web-1, instance ending in 0001, in the VPC ending in prod. It will lose all network access. Shall I go ahead?",
            readBack.Speech);
        Assert.Equal(["Dialog.ConfirmIntent"], readBack.DirectiveTypes);
        Assert.Empty(_net.MutatingCalls);

        var done = await driver.SayAsync(IsolateFinding().Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated", done.Speech, StringComparison.Ordinal);
        // The record (the truth) keeps the exact type and id; the tag mirrors it with & and ! escaped, as documented.
        var exact = "GuardDuty Backdoor:EC2/C&CActivity.B!DNS " + C2Finding;
        var record = await new IsolationLedger(_state).ReadAsync(Web1, driver.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(exact, record!.Reason);
        Assert.Equal("GuardDuty Backdoor:EC2/C%26CActivity.B%21DNS " + C2Finding, _net.Instances[Web1].Tags[IsolationRecord.Reason]);
        Assert.Contains(exact, done.CardText);
        Assert.Contains(SkillTags.IsolatedAt, _net.Instances[Web1].Tags.Keys);
        // Only web-1: nothing else in the fleet was touched.
        Assert.All(_net.MutatingCalls, c => Assert.DoesNotContain(c.Request switch
        {
            CreateTagsRequest t => t.Resources,
            ModifyInstanceAttributeRequest m => [m.InstanceId],
            _ => [],
        }, r => r is "i-0a1b2c3d4e5f60002" or "i-0a1b2c3d4e5f64f2a"));
        Assert.Contains(_chat.Posts, p => p.Contains(exact, StringComparison.Ordinal));
        var audit = driver.Log.Lines.Last(l => l.Contains("\"level\":\"AUDIT\"", StringComparison.Ordinal));
        Assert.Contains(Web1 + "=Isolated", audit);
        // The audit record of the turn carries the exact reason (as JSON text, so & may be escaped on the wire).
        Assert.Contains(driver.Log.Lines.Where(l => l.Contains("\"level\":\"AUDIT\"", StringComparison.Ordinal)),
            l => System.Text.Json.Nodes.JsonNode.Parse(l)!.ToJsonString(new System.Text.Json.JsonSerializerOptions
                { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Contains(exact, StringComparison.Ordinal));

        // Status: the exact reason on the card, read from the record; the finding id is never read aloud.
        var status = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));
        Assert.Contains("web-1", status.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(C2Finding, status.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain(C2Finding, status.Ssml!, StringComparison.Ordinal);
        Assert.Contains("Reason: " + exact, status.CardText);
        // Reading findings never archives or changes one: only the read calls reached GuardDuty.
        Assert.All(Paths, p => Assert.Contains(p, new[] { "/detector", $"/detector/{Detector}/findings/statistics", $"/detector/{Detector}/findings",
            $"/detector/{Detector}/findings/get" }));
    }

    [Fact]
    public async Task IsolateTheInstanceFromThatFinding_WithNoFindingRead_AsksForTheFindingsFirst_AndChangesNothing()
    {
        var driver = Driver();

        var reply = await driver.SayAsync(IsolateFinding());

        Assert.Equal("I haven't read you a GuardDuty finding about an instance yet. Ask me what GuardDuty found first.", reply.Speech);
        Assert.Empty(_net.Calls);
        Assert.Empty(_guardDuty.LogEntries);
    }

    [Fact]
    public async Task IsolateTheInstanceFromThatFinding_ConfirmedWithoutAReadBack_ReadsBackInsteadOfActing()
    {
        AnswerFindings();
        var driver = Driver();
        await driver.SayAsync(Findings());

        var reply = await driver.SayAsync(IsolateFinding().Confirmation("CONFIRMED"));

        Assert.EndsWith("Shall I go ahead?", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(_net.MutatingCalls);
    }

    [Fact]
    public async Task IsolateTheInstanceFromThatFinding_WhenTheUserSaysNo_ChangesNothing()
    {
        AnswerFindings();
        var driver = Driver();
        await driver.SayAsync(Findings());
        await driver.SayAsync(IsolateFinding());

        var reply = await driver.SayAsync(IsolateFinding().Confirmation("DENIED"));

        Assert.StartsWith("OK, I won't isolate anything. Nothing was changed.", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(_net.MutatingCalls);
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_InARegionWithoutADetector_SaysSo_AndAsksNothingElse()
    {
        Answer("/detector", """{"detectorIds":[]}""", get: true);
        var driver = Driver();

        var reply = await driver.SayAsync(Findings());

        Assert.StartsWith("GuardDuty isn't turned on in this region", reply.Speech, StringComparison.Ordinal);
        Assert.Equal(["/detector"], Paths);
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_WithNoOpenFindings_SaysSo_AndRemembersNoInstanceToIsolate()
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics", """{"findingStatistics":{"groupedBySeverity":[]}}""");
        Answer($"/detector/{Detector}/findings", """{"findingIds":[]}""");
        var driver = Driver();

        var reply = await driver.SayAsync(Findings());
        var isolate = await driver.SayAsync(IsolateFinding());

        Assert.Equal("GuardDuty has no open findings in the last 24 hours. Anything else?", reply.Speech);
        Assert.StartsWith("I haven't read you a GuardDuty finding", isolate.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain($"/detector/{Detector}/findings/get", Paths);
        Assert.Empty(_net.MutatingCalls);
    }

    [Fact]
    public async Task WhatsHappeningOnWeb1_AsksOnlyForThatInstancesFindings()
    {
        AnswerFindings();
        var driver = Driver();

        await driver.SayAsync(Findings("web one"));

        var body = System.Text.Json.Nodes.JsonNode.Parse(_guardDuty.LogEntries
            .Single(e => e.RequestMessage.Path == $"/detector/{Detector}/findings/statistics").RequestMessage.Body!)!;
        Assert.Equal($$"""{"equals":["{{Web1}}"]}""", body["findingCriteria"]!["criterion"]!["resource.instanceDetails.instanceId"]!.ToJsonString());
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_WhenThrottled_SaysSoClearly_AndChangesNothing()
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics", """{"message":"Rate exceeded"}""", 429, "TooManyRequestsException");
        Answer($"/detector/{Detector}/findings", """{"message":"Rate exceeded"}""", 429, "TooManyRequestsException");
        var driver = Driver();

        var reply = await driver.SayAsync(Findings());

        Assert.StartsWith("AWS is limiting how fast I can call it right now. Please try again in a minute.", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(_net.Calls);
    }

    [Fact]
    public async Task ScanWeb1ForMalware_ReadsBack_StartsOnlyAfterAYes_ThenReportsTheResult()
    {
        Answer("/malware-scan/start", $$"""{"scanId":"{{ScanId}}"}""");
        AnswerDetector();
        Answer($"/detector/{Detector}/malware-scans", $$"""
            {"scans":[{"detectorId":"{{Detector}}","scanId":"{{ScanId}}","scanStatus":"COMPLETED","scanStartTime":1796591400,"scanEndTime":1796591785,
              "resourceDetails":{"instanceArn":"arn:aws:ec2:us-east-1:111122223333:instance/{{Web1}}"},
              "scanResultDetails":{"scanResult":"INFECTED"},"accountId":"111122223333","fileCount":18342,"scanType":"ON_DEMAND"}]}
            """);
        var driver = Driver();

        var readBack = await driver.SayAsync(MalwareScan("web one"));

        Assert.StartsWith("I'll ask GuardDuty Malware Protection to scan the disks of web-1, instance ending in 0001.", readBack.Speech,
            StringComparison.Ordinal);
        Assert.EndsWith("Shall I start it?", readBack.Speech, StringComparison.Ordinal);
        Assert.Empty(_guardDuty.LogEntries);

        var started = await driver.SayAsync(MalwareScan("web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("The malware scan of web-1 has started.", started.Speech, StringComparison.Ordinal);
        Assert.Contains(ScanId, started.CardText);
        var start = Assert.Single(_guardDuty.LogEntries, e => e.RequestMessage.Path == "/malware-scan/start");
        Assert.Contains($"\"resourceArn\":\"arn:aws:ec2:us-east-1:111122223333:instance/{Web1}\"", start.RequestMessage.Body);

        var result = await driver.SayAsync(AlexaRequests.Intent("MalwareScanResultsIntent", ("InstanceName", null)));

        Assert.StartsWith("The malware scan found malware on web-1.", result.Speech, StringComparison.Ordinal);
        var describe = Assert.Single(_guardDuty.LogEntries, e => e.RequestMessage.Path == $"/detector/{Detector}/malware-scans");
        Assert.Contains($"\"equalsValue\":\"{ScanId}\"", describe.RequestMessage.Body);
        Assert.Single(_guardDuty.LogEntries, e => e.RequestMessage.Path == "/malware-scan/start");
        Assert.Empty(_net.MutatingCalls);
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_WhenCountedFindingsAreGoneByTheTimeTheyAreListed_SaysSoAndOffersNothing()
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics",
            """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":1}]}}""");
        Answer($"/detector/{Detector}/findings", """{"findingIds":[]}""");

        var reply = await Driver().SayAsync(Findings());

        Assert.Contains("GuardDuty returned none of those findings when I asked for them", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("The most severe first", reply.Speech, StringComparison.Ordinal);
        Assert.DoesNotContain("isolate the instance from that finding", reply.Speech, StringComparison.Ordinal);
        Assert.Empty(_net.MutatingCalls);
    }

    [Theory]
    [InlineData("\"scanResultDetails\":{\"scanResult\":\"CLEAN\"},", "The malware scan of web-1 found no malware in 18")]
    [InlineData("", "The malware scan of web-1 finished, but GuardDuty gave no result I know (-).")]
    [InlineData("\"scanResultDetails\":{\"scanResult\":\"PARTIAL\"},", "The malware scan of web-1 finished, but GuardDuty gave no result I know (PARTIAL).")]
    public async Task MalwareScanResults_WhenCompleted_SaysCleanOnlyWhenGuardDutySaysClean(string result, string said)
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/malware-scans", $$"""
            {"scans":[{"detectorId":"{{Detector}}","scanId":"{{ScanId}}","scanStatus":"COMPLETED","scanStartTime":1796591400,
              "resourceDetails":{"instanceArn":"arn:aws:ec2:us-east-1:111122223333:instance/{{Web1}}"},{{result}}
              "accountId":"111122223333","fileCount":18342,"scanType":"ON_DEMAND"}]}
            """);

        var reply = await Driver().SayAsync(AlexaRequests.Intent("MalwareScanResultsIntent", ("InstanceName", "web one")));

        Assert.StartsWith(said, reply.Speech, StringComparison.Ordinal);
        var describe = Assert.Single(_guardDuty.LogEntries, e => e.RequestMessage.Path == $"/detector/{Detector}/malware-scans");
        Assert.Contains($"\"equalsValue\":\"arn:aws:ec2:us-east-1:111122223333:instance/{Web1}\"", describe.RequestMessage.Body);
        Assert.Empty(_net.MutatingCalls);
    }

    [Fact]
    public async Task ScanForMalware_WhenTheNameFitsSeveralInstances_AsksWhich_AndStartsNothing()
    {
        var driver = Driver();

        var reply = await driver.SayAsync(AlexaRequests.Intent("MalwareScanIntent", ("InstanceName", null), ("ConfirmCount", null), ("SecurityCode", null))
            .WithSlot("InstanceName", "web"));

        Assert.Equal("Which one do you mean: web-1 or web-2?", reply.Speech);
        Assert.Empty(_guardDuty.LogEntries);
    }

    [Fact]
    public async Task WhatsHappeningOn_WhatCoversMoreThanFiftyInstances_AsksAboutTheFirstFifty_AndSaysSo()
    {
        AnswerFindings();
        // The resolver is a port: what it gives for "on batch" is not bounded by the handler's own question.
        var many = Enumerable.Range(0, 60).Select(n => new InstanceInfo("i-0b00000000000" + n.ToString("0000"), "batch-" + n, "running",
            Ec2Network.Vpc, null, null, new Dictionary<string, string>())).ToList();
        var driver = new SkillDriver(new SkillServices
        {
            Targets = new FixedTargets(many),
            Threats = new GuardDutyClient(FakeAws.Client(_guardDuty, AwsService.GuardDuty), FakeAws.Region, GuardDutyClientTests.Account),
        });

        var reply = await driver.SayAsync(Findings("batch"));

        var body = System.Text.Json.Nodes.JsonNode.Parse(_guardDuty.LogEntries
            .Single(e => e.RequestMessage.Path == $"/detector/{Detector}/findings/statistics").RequestMessage.Body!)!;
        var asked = body["findingCriteria"]!["criterion"]!["resource.instanceDetails.instanceId"]!["equals"]!.AsArray();
        Assert.Equal(many.Take(50).Select(i => i.Id), asked.Select(n => (string)n!));
        Assert.Contains("That's 60 instances; I asked GuardDuty about the first 50 only.", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("Only the first 50 of the 60 instances named were asked about.", reply.CardText, StringComparison.Ordinal);
    }

    private sealed class FixedTargets(IReadOnlyList<InstanceInfo> instances) : ITargetResolver
    {
        public Task<TargetResult> ResolveAsync(TargetQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<TargetResult>(new TargetResult.Found(new TargetSelection(query.Name ?? "", null, instances)));

        public Task<IReadOnlyList<InstanceInfo>> DescribeAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<InstanceInfo>>(instances.Where(i => instanceIds.Contains(i.Id)).ToList());
    }

    [Fact]
    public async Task WhatsHappeningOnWeb1_WithFiftyOrFewerInstances_SaysNothingOfALimit()
    {
        AnswerFindings();
        var driver = Driver();

        var reply = await driver.SayAsync(Findings("web one"));

        Assert.DoesNotContain("first 50", reply.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_WithAVeryLongNameTag_SaysItClipped_AndPutsItWholeOnTheCard()
    {
        var name = "web-1-" + new string('x', 300);
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics", """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":2}]}}""");
        Answer($"/detector/{Detector}/findings", $$"""{"findingIds":["{{C2Finding}}","0ec6a1f2b3c4d5e6f708192a3b4c5d05"]}""");
        Answer($"/detector/{Detector}/findings/get", GuardDutyClientTests.TwoFindings.Replace("\"value\":\"web-1\"", "\"value\":\"" + name + "\"",
            StringComparison.Ordinal));
        var driver = Driver();

        var reply = await driver.SayAsync(Findings());

        Assert.DoesNotContain(name, reply.Speech, StringComparison.Ordinal);
        Assert.Contains("On " + name[..39] + "…, an instance talking to a known command-and-control server", reply.Speech, StringComparison.Ordinal);
        Assert.Contains("To cut " + name[..39] + "… off the network", reply.Speech, StringComparison.Ordinal);
        Assert.Contains(name + " (" + Web1 + ")", reply.CardText, StringComparison.Ordinal);
    }
}
