using System.Net;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Patching;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;
using InstanceInfo = SecurityAlexa.Targets.InstanceInfo;

namespace SecurityAlexa.Tests.Patching;

/// <summary>Who gets patched: skipping, batches, the cap, "the vulnerable ones", and AWS failures.</summary>
public sealed class PatchTargetingTests
{
    private static void VerifyNothingSent(PatchHarness h) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    internal static Ec2Fleet Big(int count)
    {
        var fleet = new Ec2Fleet();
        for (var i = 0; i < count; i++) fleet.Add($"i-{i:D17}", $"node-{i:D3}", "running", "Fleet=big");
        return fleet;
    }

    internal static SsmPatchFake AllOnline(int count) => new SsmPatchFake().Online(Enumerable.Range(0, count).Select(i => $"i-{i:D17}").ToArray());

    [Fact]
    public async Task Patch_WhenAgentsAreMissingOrSilent_NamesThoseSkippedWithTheReason()
    {
        const string Web4 = "i-0e5f6a7b8c9d00008";
        var fleet = Ec2Fleet.Standard()
            .Add(Web4, "web-4", "running", "Environment=staging")
            .Add("i-0e5f6a7b8c9d00009", "web-5", "running", "Environment=staging");
        var h = new PatchHarness(fleet, new SsmPatchFake().Online(Web3, Web4).ConnectionLost(Api1));

        var reply = await h.Driver.SayAsync(Patch("environment", "staging"));
        await h.Driver.SayAsync(Answer("environment", "staging", selection: "all"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "staging", selection: "all"));

        Assert.Equal(
            "That's 4 instances tagged Environment staging: api-1, web-3, web-4 and web-5. " +
            "Not patching web-5: it has no SSM agent. Not patching api-1: its SSM agent isn't responding. Which ones should I patch?",
            reply.Speech);
        // Skipped instances are never sent to, even though the tag group was chosen "all".
        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Web3, Web4], sent.InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenOnlyOneOfTheGroupCanBePatched_ReadsItBackWithTheSkippedOne()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch("environment", "staging"));

        Assert.Equal(
            "Not patching api-1: its SSM agent isn't responding. Patching 1 instance, web-3, with its patch baseline, rebooting if needed. Shall I go ahead?",
            reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
    }

    [Fact]
    public async Task Patch_WhenAnInstanceIsIsolatedByTheSkill_SkipsItAndSaysSo()
    {
        var fleet = new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod")
            .Add(Web2, "web-2", "running", "Environment=prod")
            .Add(Db1, "db-1", "running", "Environment=prod");
        var h = new PatchHarness(fleet).Isolated(Web2);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Contains("Not patching web-2: it's isolated by this skill.", reply.Speech);
        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Db1, Web1], sent.InstanceIds);
        // Its agent may be read (alongside its isolation record, which is read whether it carries the tag or not, so a turn
        // pays one round trip), but no command ever names it.
        Assert.DoesNotContain(h.Ssm.Sent, s => s.InstanceIds.Contains(Web2));
    }

    [Fact]
    public async Task Patch_WhenAnInstanceIsIsolatedBetweenReadBackAndYes_LeavesItOutAndSaysSo()
    {
        var fleet = new Ec2Fleet()
            .Add(Web1, "web-1", "running", "Environment=prod")
            .Add(Web2, "web-2", "running", "Environment=prod");
        var h = new PatchHarness(fleet);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Isolated(Web2, "2026-11-29T10:01:00Z");

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Equal([Web1], sent.InstanceIds);
        Assert.Equal("Patching has started on 1 instance: web-1. Not patching web-2: it's isolated by this skill. Ask me how the patching is going.", reply.Speech);
    }

    [Fact]
    public async Task Patch_WhenNoInstanceCanBePatched_SaysWhyAndSendsNothing()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch("environment", "dev"));

        Assert.Equal("Not patching dev-1: it has no SSM agent. So there's nothing I can patch, and I've sent nothing.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Contains(h.Audits, a => PatchHarness.Outcome(a) == "nothing-eligible");
    }

    [Fact]
    public async Task Patch_When120InstancesAreChosenById_SendsThreeCommandsOfAtMost50Ids()
    {
        var h = new PatchHarness(Big(121), AllOnline(121), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        await h.Driver.SayAsync(Patch("fleet", "big"));
        var readBack = await h.Driver.SayAsync(Answer("fleet", "big", except: "node-000"));

        var reply = await h.Driver.SayAsync(SayCount("120", "fleet", "big", except: "node-000"));

        Assert.Equal("ConfirmCount", (string?)readBack.Directive("Dialog.ElicitSlot")?["slotToElicit"]);

        Assert.Equal([50, 50, 20], h.Ssm.Sent.Select(s => s.InstanceIds.Count));
        Assert.Equal(120, h.Ssm.Sent.SelectMany(s => s.InstanceIds).Distinct().Count());
        Assert.DoesNotContain(h.Ssm.Sent.SelectMany(s => s.InstanceIds), id => id == "i-00000000000000000");
        Assert.All(h.Ssm.Sent, s => Assert.Null(s.Targets));
        var reference = PatchComment.ReferenceOf(h.Ssm.Sent[0].Comment);
        Assert.Equal(["part 1 of 3", "part 2 of 3", "part 3 of 3"], h.Ssm.Sent.Select(s => s.Comment[(PatchComment.Prefix + reference + " ").Length..]));
        Assert.Contains("cmd-1, cmd-2, cmd-3", reply.CardText);
    }

    [Fact]
    public async Task Patch_WhenWholeTagGroupOf120IsMeant_SendsItsIdsInBatchesNeverTheTag()
    {
        var h = new PatchHarness(Big(120), AllOnline(120), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", selection: "all of them"));

        await h.Driver.SayAsync(SayCount("one hundred twenty", "fleet", "big", selection: "all of them"));

        // Up to PATCH_CHECK_EACH_MAX every instance is checked, and only those ids are sent: a tag target would also reach
        // on-premises managed nodes carrying the tag, which EC2 never showed.
        Assert.Equal([50, 50, 20], h.Ssm.Sent.Select(s => s.InstanceIds.Count));
        Assert.All(h.Ssm.Sent, s => Assert.Null(s.Targets));
        Assert.Equal(120, h.Ssm.Sent.SelectMany(s => s.InstanceIds).Distinct().Count());
    }

    [Fact]
    public async Task Patch_WhenAboveTheCap_SaysTheLimitAsksForTheNumberAndSendsOnlyWhenItMatches()
    {
        var h = new PatchHarness(Big(60), AllOnline(60), new Dictionary<string, string> { ["CONFIRM_COUNT_ABOVE"] = "100" });
        await h.Driver.SayAsync(Patch("fleet", "big"));

        var readBack = await h.Driver.SayAsync(Answer("fleet", "big", selection: "all of them"));

        Assert.EndsWith("That's more than my limit of 50 instances at once, so you'll need to say the number back. "
            + "To go ahead, say the number of instances this will change. To stop, say cancel.", readBack.Speech);
        Assert.DoesNotContain("Shall I go ahead?", readBack.Speech);
        var elicit = readBack.Directive("Dialog.ElicitSlot")!;
        Assert.Equal("ConfirmCount", (string?)elicit["slotToElicit"]);
        VerifyNothingSent(h);

        await h.Driver.SayAsync(SayCount("60", "fleet", "big", selection: "all of them"));

        Assert.Equal([50, 10], h.Ssm.Sent.Select(s => s.InstanceIds.Count));
    }

    [Fact]
    public async Task Patch_WhenTheNumberSaidBackIsWrong_SendsNothing()
    {
        var h = new PatchHarness(Big(60), AllOnline(60));
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", selection: "all of them"));

        var reply = await h.Driver.SayAsync(SayCount("16", "fleet", "big", selection: "all of them"));
        var retry = await h.Driver.SayAsync(SayCount("60", "fleet", "big", selection: "all of them"));

        Assert.Equal("That's not the number I read back, so I haven't patched anything.", reply.Speech);
        Assert.Equal("Nothing was waiting for that yes, so I did nothing. Tell me which instances to patch.", retry.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenTheVulnerableOnesOfATagAreAskedFor_OffersOnlyThoseWithFindings()
    {
        var lookup = new Mock<IVulnerabilityLookup>(MockBehavior.Strict);
        lookup.Setup(l => l.VulnerableAmongAsync(It.IsAny<TagSelector?>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HashSet<string> { Web1, Db1 });
        var h = new PatchHarness(vulnerabilities: lookup.Object);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod", scope: "vulnerable"));

        Assert.Equal("2 instances tagged Environment prod have vulnerabilities: db-1 and web-1. Which ones should I patch?", reply.Speech);
        lookup.Verify(l => l.VulnerableAmongAsync(It.Is<TagSelector?>(t => t!.Key == "Environment" && t.Value == "prod"), It.Is<IReadOnlyCollection<string>>(ids => ids.Count == 3), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Patch_WhenNoneOfTheTaggedInstancesIsVulnerable_SendsNothing()
    {
        var lookup = new Mock<IVulnerabilityLookup>();
        lookup.Setup(l => l.VulnerableAmongAsync(It.IsAny<TagSelector?>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new HashSet<string>());
        var h = new PatchHarness(vulnerabilities: lookup.Object);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod", scope: "vulnerable"));

        Assert.Equal("None of the 3 instances tagged Environment prod has open vulnerabilities, so there's nothing to patch.", reply.Speech);
        VerifyNothingSent(h);
        h.Ssm.Mock.Verify(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Patch_WhenFindingsCannotBeRead_SaysSoInsteadOfPatchingEverything()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch("environment", "prod", scope: "vulnerable"));

        Assert.StartsWith("I can't read the scan findings from here, so I can't tell which instances tagged Environment prod are vulnerable.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenTheLookupCannotTellForThoseInstances_SaysSoInsteadOfPatchingEverything()
    {
        var lookup = new Mock<IVulnerabilityLookup>();
        lookup.Setup(l => l.VulnerableAmongAsync(It.IsAny<TagSelector?>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlySet<string>?)null);
        var h = new PatchHarness(vulnerabilities: lookup.Object);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod", scope: "vulnerable"));

        Assert.StartsWith("I can't read the scan findings from here", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenNothingIsNamedAndNothingIsInFocus_AsksWhichInstances()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch());

        Assert.Equal("Which instances should I patch? You can say: patch the instances tagged environment prod, or patch web one.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenTheFocusNamesInstances_PatchThemUsesExactlyThose()
    {
        var resolver = new Mock<ITargetResolver>(MockBehavior.Strict);
        resolver.Setup(r => r.DescribeAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Select(id => new InstanceInfo(id, id == Web1 ? "web-1" : "db-1", "running", null, null, null,
                new Dictionary<string, string>())).ToList());
        var h = new PatchHarness(resolver: resolver.Object);
        var focus = new TargetMemory { Description = "tagged Environment prod", InstanceIds = [Web1, Db1], Names = ["web-1", "db-1"], TagKey = "Environment", TagValue = "prod" };

        var reply = await h.SayWithFocusAsync(Patch(), focus);

        Assert.Equal("That's 2 instances tagged Environment prod: web-1 and db-1. Which ones should I patch?", reply.Speech);
        resolver.Verify(r => r.ResolveAsync(It.IsAny<TargetQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("AccessDeniedException", HttpStatusCode.BadRequest, "I'm not allowed to call ssm:SendCommand. Add that permission to the function's role, then try again.")]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, "AWS is limiting how fast I can call it right now. Please try again in a minute.")]
    [InlineData("InvalidInstanceId", HttpStatusCode.BadRequest, "Systems Manager refused the patch command, saying its targets aren't valid. Usually that means an agent went offline since I checked. Nothing was patched.")]
    public async Task Patch_WhenSendCommandFails_SaysWhatWentWrongAndAuditsTheFailure(string code, HttpStatusCode status, string expected)
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SsmPatchFake.Error(code, status);
        await h.Driver.SayAsync(Patch(name: "web one"));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.Equal(expected, reply.Speech);
        Assert.Empty(h.Ssm.Sent);
        var audit = h.Audits.Single(a => PatchHarness.Outcome(a) == "failed");
        Assert.Contains(code, (string?)audit["notes"]?["error"]);
    }

    [Fact]
    public async Task Patch_WhenTheSecondBatchFails_SaysWhichInstancesAreBeingPatched()
    {
        var h = new PatchHarness(Big(80), AllOnline(80), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        h.Ssm.SendFailure = SsmPatchFake.Error("ThrottlingException", HttpStatusCode.BadRequest);
        h.Ssm.FailSendAfter = 1;
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", except: "node-079"));

        var reply = await h.Driver.SayAsync(SayCount("79", "fleet", "big", except: "node-079"));

        Assert.StartsWith("I started patching 50 instances: node-000, node-001", reply.Speech);
        Assert.Contains("Sending the command for the other 29 failed, so those aren't being patched. AWS is limiting", reply.Speech);
        Assert.Single(h.Ssm.Sent);
        Assert.Contains(h.Audits, a => PatchHarness.Outcome(a) == "partly-sent" && PatchHarness.NoteList(a, "commandIds").Length == 1);
    }

    [Fact]
    public async Task Patch_WhenTheFirstBatchLeavesTooLittleOfTheTurn_DoesNotStartTheSecond_AndSaysWhichAreBeingPatched()
    {
        var h = new PatchHarness(Big(80), AllOnline(80), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", except: "node-079"));
        // The first SendCommand answers 5.5 s into the turn: under a second is left, too little to start another change.
        h.Ssm.OnSend = _ => h.Time.Advance(TimeSpan.FromSeconds(5.5));

        var reply = await h.Driver.SayAsync(SayCount("79", "fleet", "big", except: "node-079"));

        Assert.StartsWith("I started patching 50 instances: node-000, node-001", reply.Speech);
        Assert.Contains("I ran out of time before sending the command for the other 29, so those aren't being patched.", reply.Speech);
        Assert.DoesNotContain("AWS didn't answer", reply.Speech, StringComparison.Ordinal);
        Assert.Single(h.Ssm.Sent);
        Assert.Contains(h.Audits, a => PatchHarness.Outcome(a) == "partly-sent" && PatchHarness.NoteList(a, "commandIds").Length == 1);
    }

    [Fact]
    public async Task Patch_WhenSsmIsThrottledWhileChecking_SaysSoAndSendsNothing()
    {
        var h = new PatchHarness();
        h.Ssm.Mock.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(SsmPatchFake.Error("ThrottlingException", HttpStatusCode.BadRequest));

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.Equal("AWS is limiting how fast I can call it right now. Please try again in a minute.", reply.Speech);
        VerifyNothingSent(h);
    }
}
