using System.Globalization;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Patching;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// A whole tag group above PatchSettings.CheckEachMax (200): carried by tag, count and digest, one tag-targeted command, a
/// constant number of look-ups whatever the size (only EC2's resolution pages grow), every response under Alexa's 24 KB.
/// </summary>
public sealed class PatchLargeTagTests
{
    private const int AlexaLimit = 24 * 1024;

    private static string IdOf(int n) => "i-" + n.ToString("x17", CultureInfo.InvariantCulture);

    /// <summary>N running instances tagged Environment=prod and Patch Group=prod-linux, agents online, plus a staging one.</summary>
    private static PatchHarness Large(int count, int isolated = 0, int stopped = 0, IVulnerabilityLookup? vulnerabilities = null,
        Func<Ec2Fleet, ITargetResolver>? resolver = null)
    {
        var fleet = new Ec2Fleet();
        for (var i = 1; i <= count; i++)
        {
            var tags = new List<string> { "Environment=prod", "Patch Group=prod-linux" };
            fleet.Add(IdOf(i), "web-" + i.ToString(CultureInfo.InvariantCulture), i > count - stopped ? "stopped" : "running", [.. tags]);
        }
        fleet.Add(Web3, "web-3-staging", "running", "Environment=staging");
        var ids = Enumerable.Range(1, count).Select(IdOf).ToList();
        var ssm = new SsmPatchFake().Online([.. ids]).Group("prod-linux", "pb-0prod", "prod-linux");
        ssm.Tagged = (key, values) => key == "Environment" && values.Contains("prod") ? ids : [];
        var h = new PatchHarness(fleet, ssm, vulnerabilities: vulnerabilities, resolver: resolver?.Invoke(fleet));
        for (var i = 1; i <= isolated; i++) h.Isolated(IdOf(i));
        return h;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    // "Patch the instances tagged environment prod" - "all of them" - the number said back.
    private static async Task<List<AlexaReply>> PatchAllAsync(PatchHarness h, int count)
    {
        var replies = new List<AlexaReply>
        {
            await h.Driver.SayAsync(Patch("environment", "prod")),
            await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them")),
        };
        replies.Add(await h.Driver.SayAsync(SayCount(N(count), "environment", "prod", selection: "all of them")));
        return replies;
    }

    private static void VerifyNothingSent(PatchHarness h) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    private static int SsmCalls(PatchHarness h) => h.Ssm.Mock.Invocations.Count;

    private static int Ec2ByIdCalls(PatchHarness h) => h.Fleet.InstanceRequests.Count(r => r.Filters?.Any(f => f.Name == "instance-id") == true);

    private static int Ec2ResolutionPages(PatchHarness h) => h.Fleet.TagRequests.Count + h.Fleet.InstanceRequests.Count - Ec2ByIdCalls(h);

    [Fact]
    public async Task PatchAllByTag_WhenTheGroupIsLarge_ReadsBackHonestlyAndSendsOneTagTargetedCommand()
    {
        var h = Large(1_000);

        var replies = await PatchAllAsync(h, 1_000);

        Assert.StartsWith("That's 1000 instances tagged Environment prod: web-1, web-10, web-100", replies[0].Speech);
        Assert.EndsWith("Which ones should I patch?", replies[0].Speech);
        Assert.StartsWith("Patching all 1000 instances tagged Environment prod with one Systems Manager command for the tag, rebooting if needed. " +
            "1000 instances in patch group prod-linux use the prod-linux baseline. " +
            "I haven't checked every agent: Systems Manager waits up to an hour for an agent that isn't answering, then skips its instance, and 50 of the 50 agents I looked at are answering.",
            replies[1].Speech);
        Assert.StartsWith("I've sent one Systems Manager command to patch the 1000 instances tagged Environment prod.", replies[2].Speech);
        var sent = Assert.Single(h.Ssm.Sent);
        var target = Assert.Single(sent.Targets);
        Assert.Equal("tag:Environment", target.Key);
        Assert.Equal(["prod"], target.Values);
        Assert.True(sent.InstanceIds is null or { Count: 0 });
        Assert.Equal(["Install"], sent.Parameters["Operation"]);
        // Agents were sampled once by tag, never checked one by one; the instances were never re-read by id.
        var information = Assert.Single(h.Ssm.InformationRequests, r => r.Filters.Single().Key.StartsWith("tag:", StringComparison.Ordinal));
        Assert.Equal("tag:Environment", Assert.Single(information.Filters).Key);
        // The managed nodes outside EC2 were asked for on turn 1 and again just before the send (there are none).
        Assert.Equal(2, h.Ssm.OffEc2Requests.Count);
        Assert.All(h.Ssm.OffEc2Requests, r => Assert.Equal(["ManagedInstance"], Assert.Single(r.Filters).Values));
        Assert.Equal(3, h.Ssm.InformationRequests.Count);
        Assert.Equal(0, Ec2ByIdCalls(h));
        var audit = h.Audits.Last();
        Assert.Equal("sent", Outcome(audit));
        Assert.Equal("Environment=prod", (string?)audit["notes"]?["targetTag"]);
        Assert.Equal("1000", (string?)audit["notes"]?["targetCount"]);
        Assert.False(string.IsNullOrEmpty((string?)audit["notes"]?["targetDigest"]));
        // The record's own target fields say how many were meant, not the empty id list of a set carried by digest.
        Assert.Equal(1_000, (int?)audit["targetCount"]);
        Assert.Equal((string?)audit["notes"]?["targetDigest"], (string?)audit["targetDigest"]);
    }

    [Fact]
    public async Task PatchAllByTag_CallsDoNotGrowWithTheGroupExceptEc2ResolutionPages()
    {
        var small = Large(300);
        var big = Large(3_000);

        await PatchAllAsync(small, 300);
        await PatchAllAsync(big, 3_000);

        Assert.Single(small.Ssm.Sent);
        Assert.Single(big.Ssm.Sent);
        Assert.Equal(SsmCalls(small), SsmCalls(big));
        Assert.Equal(0, Ec2ByIdCalls(small));
        Assert.Equal(0, Ec2ByIdCalls(big));
        // Only EC2's pages of 1,000 grow: DescribeTags (two tags an instance) and the tag's DescribeInstances pages.
        Assert.True(Ec2ResolutionPages(big) > Ec2ResolutionPages(small));
        Assert.InRange(Ec2ResolutionPages(big), 1, 4 * 9);
    }

    [Fact]
    public async Task PatchAllByTag_AtTenThousandInstances_EveryResponseIsUnderAlexasLimit()
    {
        var h = Large(10_000);

        var replies = await PatchAllAsync(h, 10_000);
        Assert.True(h.Ssm.Sent.Count == 1, string.Join("\n", replies.Select(r => r.Speech)));
        h.Ssm.CommandCounts("cmd-1", target: 10_000, completed: 4_000, errors: 10, timedOut: 5);
        replies.Add(await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent")));

        Assert.Single(h.Ssm.Sent);
        foreach (var reply in replies) Assert.InRange(reply.Bytes, 1, AlexaLimit - 1);
        Assert.All(replies, r => Assert.DoesNotContain(IdOf(9_999), r.Json));
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheTagChangesBeforeTheYes_SendsNothingAndReadsBackTheNewCount()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Fleet.Add("i-0ffffffffffffff01", "web-new", "running", "Environment=prod");

        var changed = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        VerifyNothingSent(h);
        Assert.StartsWith("The instances tagged Environment prod have changed since I read them back: it was 300 instances, and now it's 301 instances. " +
            "I haven't sent anything. Patching all 301 instances tagged Environment prod", changed.Speech);
        Assert.Equal("changed-before-send", Outcome(h.Audits.Last()));

        var sent = await h.Driver.SayAsync(SayCount("301", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("I've sent one Systems Manager command to patch the 301 instances", sent.Speech);
        Assert.Equal("tag:Environment", Assert.Single(Assert.Single(h.Ssm.Sent).Targets).Key);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAnInstanceOfTheGroupIsIsolated_RefusesTheTagWidePatchAndSendsNothing()
    {
        var h = Large(300, isolated: 2);

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.Equal("2 instances of the 300 instances tagged Environment prod are isolated by this skill: web-1 and web-2. " +
            "A command for the whole tag would reach them too, so I haven't patched anything. Release them, or take the tag off them, then ask me again.",
            reply.Speech);
        VerifyNothingSent(h);
        Assert.Null(State(h)?["pending"]);
        Assert.Equal("refused-isolated-in-tag", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task PatchAllByTag_WhenAnInstanceIsIsolatedBetweenReadBackAndYes_RefusesAndSendsNothing()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Isolated(IdOf(7), "2026-11-29T10:00:00Z");

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("1 instance of the 300 instances tagged Environment prod is isolated by this skill: web-7.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchAllByTag_WithStoppedInstancesInTheGroup_SaysTheCommandWontReachThem()
    {
        var h = Large(300, stopped: 4);

        var which = await h.Driver.SayAsync(Patch("environment", "prod"));
        var readBack = await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        Assert.Contains("That's 296 instances tagged Environment prod", which.Speech);
        Assert.Contains("4 instances with the tag aren't running. Systems Manager holds the command for an hour, so any that start within the hour get patched then.", which.Speech);
        Assert.Contains("4 instances with the tag aren't running. Systems Manager holds the command for an hour, so any that start within the hour get patched then.", readBack.Speech);
        Assert.Equal(296, PendingCount(h));
        Assert.Empty(State(h)!["pending"]!["ids"]!.AsArray());
    }

    [Fact]
    public async Task PatchAllExcept_OnALargeGroup_WhenTheRestIsMoreThanGoesById_SaysSoAndSendsNothing()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", except: "web-1"));

        Assert.Equal("That would be 299 instances. Short of the whole tag, I send patch commands by instance id, at most 200 instances at a time, " +
            "so I haven't patched anything. Say patch the instances tagged Environment prod to patch the whole tag, or name fewer instances.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal(0, PendingCount(h));
        Assert.Equal("refused-too-many-by-id", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task PatchJust_OnALargeGroup_ReadsTheTagAgainAndPatchesOnlyTheOneNamedById()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var readBack = await h.Driver.SayAsync(Answer("environment", "prod", name: "web 250"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", name: "web 250"));

        Assert.Equal("Patching 1 instance, web-250, with its patch baseline, rebooting if needed. Shall I go ahead?", readBack.Speech);
        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([IdOf(250)], sent.InstanceIds);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheReadBackHasExpired_ReadsTheGroupAgainAndSendsNothing()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Time.Advance(TimeSpan.FromMinutes(4));

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("That confirmation took too long, so here it is again. Patching all 300 instances tagged Environment prod", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal(300, PendingCount(h));
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheUserSaysNoOrCancels_SendsNothingAndAuditsTheTagAndCount()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        var no = await h.Driver.SayAsync(Confirm("DENIED", "environment", "prod", selection: "all of them"));

        Assert.Equal("OK, I won't patch anything. Nothing was changed.", no.Speech);
        var declined = h.Audits.Last();
        Assert.Equal("declined", Outcome(declined));
        Assert.Equal("300", (string?)declined["notes"]?["targetCount"]);

        await h.Driver.SayAsync(Patch("environment", "prod"));
        // The "which ones?" turn is audited by tag and count too.
        Assert.Equal("Environment=prod", (string?)h.Audits.Last()["notes"]?["targetTag"]);
        var cancel = await h.Driver.SayAsync(AlexaRequests.Intent("AMAZON.CancelIntent"));

        Assert.Equal("OK, I won't patch anything. Nothing was changed.", cancel.Speech);
        Assert.Null(State(h)?["patch"]?["choosing"]);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchAllByTag_WhenSendCommandsOutcomeIsUnknown_SaysSoAndNeverSendsItAgain()
    {
        var h = Large(300);
        h.Ssm.SendFailure = SsmPatchFake.Error("InternalServerError", System.Net.HttpStatusCode.InternalServerError);

        var replies = await PatchAllAsync(h, 300);

        Assert.StartsWith("I asked Systems Manager to patch 300 instances tagged Environment prod, web-1, web-10", replies[2].Speech);
        Assert.EndsWith("I won't send it again. Ask me how the patching is going in a minute.", replies[2].Speech);
        Assert.Equal("outcome-unknown", Outcome(h.Audits.Last()));
        Assert.Equal("Environment=prod", (string?)h.Audits.Last()["notes"]?["targetTag"]);

        // Asked again a minute later, with SSM answering: the earlier command is looked for first, and nothing is sent.
        h.Ssm.SendFailure = null;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        var again = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("I still can't tell whether the patching I asked Systems Manager for", again.Speech);
        // The one attempt is the first, whose answer was lost; no second command.
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(h.Ssm.Sent);
        Assert.InRange(again.Bytes, 1, AlexaLimit - 1);
    }

    [Fact]
    public async Task PatchStatus_AfterALargeRun_SpeaksTheCommandsCountsWithoutListingInstances()
    {
        var h = Large(300);
        await PatchAllAsync(h, 300);
        h.Ssm.CommandCounts("cmd-1", target: 300, completed: 250, errors: 5, timedOut: 3);

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        Assert.StartsWith("Patching of 300 instances tagged Environment prod, started ", reply.Speech);
        Assert.Contains("is still running: 242 completed without reporting an error, 50 in progress, 5 failed " +
            "and 3 not reached because the agent didn't answer.", reply.Speech);
        h.Ssm.Mock.Verify(m => m.ListCommandInvocationsAsync(It.IsAny<ListCommandInvocationsRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        h.Ssm.Mock.Verify(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PatchThem_WhenTheFocusIsALargeTagWithoutIds_ReadsTheGroupAgainFromTheTag()
    {
        var h = Large(300);
        var focus = TargetMemory.Of("tagged Environment prod", Enumerable.Range(1, 300).Select(IdOf).ToList(),
            Enumerable.Range(1, 300).Select(i => "web-" + N(i)).ToList(), "Environment", "prod");
        Assert.True(focus.IdsOmitted);

        var which = await h.SayWithFocusAsync(Patch(), focus);

        Assert.StartsWith("That's 300 instances tagged Environment prod: ", which.Speech);
        Assert.Equal(0, Ec2ByIdCalls(h));
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchThem_WhenTheFocusIsTheVulnerableOnesOfALargeTag_KeepsOnlyTheVulnerableOnesReadAgain()
    {
        var vulnerable = Enumerable.Range(1, 60).Select(IdOf).ToHashSet(StringComparer.Ordinal);
        var lookup = new Mock<IVulnerabilityLookup>(MockBehavior.Strict);
        lookup.Setup(l => l.VulnerableAmongAsync(It.Is<TagSelector>(t => t.Key == "Environment" && t.Value == "prod"), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TagSelector _, IReadOnlyCollection<string> ids, CancellationToken _) => ids.Where(vulnerable.Contains).ToHashSet(StringComparer.Ordinal));
        var h = Large(300, vulnerabilities: lookup.Object);
        var focus = TargetMemory.Of("tagged Environment prod", vulnerable.ToList(), vulnerable.Select(id => id).ToList(), "Environment", "prod", vulnerable: true);
        Assert.True(focus.IdsOmitted);

        var which = await h.SayWithFocusAsync(Patch(), focus);
        await h.Driver.SayAsync(Answer(selection: "all of them"));
        await h.Driver.SayAsync(SayCount("60", selection: "all of them"));

        Assert.StartsWith("60 instances tagged Environment prod have vulnerabilities: ", which.Speech);
        // Never the whole tag: the 60 go by id, in batches of at most 50.
        Assert.Equal(2, h.Ssm.Sent.Count);
        Assert.All(h.Ssm.Sent, s => Assert.Null(s.Targets));
        Assert.Equal(vulnerable.Order(StringComparer.Ordinal), h.Ssm.Sent.SelectMany(s => s.InstanceIds).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PatchDryRun_OnALargeGroup_MakesOnlyBoundedLookUpsAndSendsNothing()
    {
        var h = Large(1_000);

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchDryRunIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null), ("Scope", null)));

        Assert.StartsWith("I'd patch 1000 instances tagged Environment prod with one Systems Manager command for the tag, rebooting if needed.", reply.Speech);
        Assert.Contains("This was a dry run: nothing was sent.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Single(h.Ssm.InformationRequests, r => r.Filters.Single().Key.StartsWith("tag:", StringComparison.Ordinal));
        Assert.Single(h.Ssm.OffEc2Requests);
        Assert.Equal(2, h.Ssm.InformationRequests.Count);
        Assert.Equal(0, Ec2ByIdCalls(h));
        Assert.InRange(reply.Bytes, 1, AlexaLimit - 1);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAnOnPremisesNodeCarriesTheTag_RefusesOnTheFirstTurnAndSendsNothing()
    {
        var h = Large(300);
        h.Ssm.OffEc2Node("mi-0123456789abcdef0", ("Environment", "prod")).OffEc2Node("mi-0123456789abcdef1", ("Environment", "staging"));

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.Equal("1 server outside EC2, such as an on-premises machine, carries this tag in Systems Manager as well as the "
            + "300 instances tagged Environment prod. A command for the whole tag would reach it too, and I haven't read it back or "
            + "checked whether it's protected or isolated, so I haven't sent anything. Take the tag off it, or name fewer instances, "
            + "then ask me again.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal(["mi-0123456789abcdef0", "mi-0123456789abcdef1"], h.Ssm.TagRequests.Select(r => r.ResourceId).Order());
        Assert.All(h.Ssm.TagRequests, r => Assert.Equal("ManagedInstance", r.ResourceType.Value));
        var audit = h.Audits.Last();
        Assert.Equal("refused-off-ec2-in-tag", Outcome(audit));
        Assert.Equal("1", (string?)audit["notes"]?["offEc2Tagged"]);
        Assert.Null(State(h)?["patch"]);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAnOnPremisesNodeGetsTheTagAfterTheReadBack_SendsNothingByTagOnTheYes()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Ssm.OffEc2Node("mi-0aaaaaaaaaaaaaaa1", ("Environment", "prod")).OffEc2Node("mi-0aaaaaaaaaaaaaaa2", ("Environment", "prod"));

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("2 servers outside EC2, such as on-premises machines, carry this tag in Systems Manager as well as the "
            + "300 instances tagged Environment prod. A command for the whole tag would reach them too", reply.Speech);
        Assert.Contains("so I haven't sent anything.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal("refused-off-ec2-in-tag", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task PatchAllByTag_WhenOnlyOtherTagsAreOnOnPremisesNodes_SendsOneTagTargetedCommand()
    {
        var h = Large(300);
        // Same key, another value, and the value in another case: a tag target for "prod" reaches neither.
        h.Ssm.OffEc2Node("mi-0bbbbbbbbbbbbbbb1", ("Environment", "staging")).OffEc2Node("mi-0bbbbbbbbbbbbbbb2", ("environment", "prod"));

        var replies = await PatchAllAsync(h, 300);

        Assert.StartsWith("I've sent one Systems Manager command to patch the 300 instances tagged Environment prod.", replies[2].Speech);
        Assert.Equal("tag:Environment", Assert.Single(Assert.Single(h.Ssm.Sent).Targets).Key);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTooManyOnPremisesNodesToCheck_SendsNothingAndSaysSo()
    {
        var h = Large(300);
        for (var i = 0; i < OffEc2Nodes.MaxChecked + 1; i++) h.Ssm.OffEc2Node("mi-0c" + i.ToString("x15", CultureInfo.InvariantCulture));

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.StartsWith("Systems Manager manages more than 50 servers outside EC2, such as on-premises machines, and I can't check "
            + "them all for this tag.", reply.Speech);
        Assert.Contains("so I haven't sent anything.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Empty(h.Ssm.TagRequests);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheOnPremisesCheckFailsOnTheYes_SendsNothingAndNamesTheAction()
    {
        var h = Large(300);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Ssm.OffEc2Failure = SsmPatchFake.Error("AccessDeniedException", System.Net.HttpStatusCode.BadRequest);

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("I couldn't check whether servers outside EC2, such as on-premises machines, also carry this tag, because "
            + "ssm:DescribeInstanceInformation failed.", reply.Speech);
        VerifyNothingSent(h);
        Assert.Equal("ssm:DescribeInstanceInformation", (string?)h.Audits.Last()["error"] ?? (string?)h.Audits.Last()["notes"]?["error"]);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheIsolationRecordsCannotBeReadOnTheYes_KeepsTheReadBackSoTheYesCanBeSaidAgain()
    {
        var h = Large(300);
        h.Fleet.Tag(IdOf(7), SkillTags.IsolatedAt, "2026-11-29T09:00:00Z"); // a marker, so its record is read on the yes
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.TableFails = true;

        var failed = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));
        h.TableFails = false;
        var again = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("AWS is limiting how fast I can call it right now. Please try again in a minute. I couldn't read my isolation "
            + "records, so I haven't sent the patch command for 300 instances, and nothing has changed.", failed.Speech);
        Assert.False(failed.EndsSession);
        Assert.Equal("records-unread", Outcome(h.Audits[^2]));
        Assert.StartsWith("I've sent one Systems Manager command to patch the 300 instances tagged Environment prod.", again.Speech);
        Assert.Equal("tag:Environment", Assert.Single(Assert.Single(h.Ssm.Sent).Targets).Key);
    }

    [Fact]
    public async Task PatchAllByTag_WhenTheTagBecomesTooLargeToReadBeforeTheYes_SaysSoRatherThanGoneAndSendsNothing()
    {
        TooManySwitch? resolver = null;
        var h = Large(300, resolver: fleet => resolver = new TooManySwitch(new TargetResolver(new SecurityAlexa.Aws.Ec2InstanceDirectory(fleet.Client),
            TimeProvider.System)));
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        resolver!.TooMany = true;

        var reply = await h.Driver.SayAsync(SayCount("300", "environment", "prod", selection: "all of them"));

        Assert.Equal("The instances tagged Environment prod are more than I can read in one go, so I can't tell what a command for the "
            + "tag would reach, and I haven't sent anything. Name fewer instances, or a tag that picks fewer.", reply.Speech);
        Assert.DoesNotContain("any more", reply.Speech, StringComparison.Ordinal);
        VerifyNothingSent(h);
        Assert.Equal("too-many-to-read", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task Patch_WhenATagWideRunIsUnknown_HoldsBackAByIdPatchOfOneOfItsInstances()
    {
        var h = Large(300);
        h.Ssm.SendFailure = new TaskCanceledException("The request timed out (SDK HTTP timeout).");
        var unknown = (await PatchAllAsync(h, 300))[2];
        h.Ssm.SendFailure = null;
        h.Time.Advance(TimeSpan.FromMinutes(1));

        await h.Driver.SayAsync(Patch(name: "web-5"));
        var again = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web-5"));

        Assert.Contains("I won't send it again.", unknown.Speech);
        // web-5 carries the tag the unknown command went to: a by-id patch would be a second run on it.
        Assert.StartsWith("I still can't tell whether the patching I asked Systems Manager for 1 minute ago", again.Speech);
        Assert.Equal("refused-outcome-unknown", Outcome(h.Audits.Last()));
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PatchAllByTag_WhenAByIdRunOfOneOfItsInstancesIsUnknown_HoldsBackTheTagWidePatch()
    {
        var h = Large(300);
        h.Ssm.SendFailure = new TaskCanceledException("The request timed out (SDK HTTP timeout).");
        await h.Driver.SayAsync(Patch(name: "web-5"));
        var unknown = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web-5"));
        h.Ssm.SendFailure = null;
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var replies = await PatchAllAsync(h, 300);

        Assert.Contains("I won't send it again.", unknown.Speech);
        // The tag covers web-5, whose by-id command may have been accepted: a tag-wide command would patch it a second time.
        Assert.StartsWith("I still can't tell whether the patching I asked Systems Manager for 1 minute ago, on web-5, started", replies[2].Speech);
        Assert.Equal("refused-outcome-unknown", Outcome(h.Audits.Last()));
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PatchDryRun_OnALargeGroupWithAProtectedMemberAndAnOnPremisesNode_SaysTheTagWidePatchWouldBeRefused()
    {
        var h = Large(300);
        h.Fleet.Tag(IdOf(9), SkillTags.Protected, "true");
        h.Ssm.OffEc2Node("mi-0ddddddddddddddd1", ("Environment", "prod"));

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchDryRunIntent", ("TagKey", "environment"), ("TagValue", "prod"),
            ("InstanceName", null), ("Scope", null)));

        Assert.Contains("1 of them is tagged SecurityAlexa Protected, so I'd refuse to patch the whole tag until the tag you asked for "
            + "is taken off it.", reply.Speech);
        Assert.Contains("Servers outside EC2, such as on-premises machines, carry this tag too, or I couldn't check that they don't, "
            + "so I'd refuse to patch the whole tag.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Theory]
    [InlineData(1, "1 of them is isolated by this skill, so I'd refuse to patch the whole tag until it's released or untagged.")]
    [InlineData(3, "3 of them are isolated by this skill, so I'd refuse to patch the whole tag until they're released or untagged.")]
    public async Task PatchDryRun_OnALargeGroupWithIsolatedMembers_SaysHowManyInTheRightNumber(int isolated, string said)
    {
        var h = Large(300, isolated: isolated);

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchDryRunIntent", ("TagKey", "environment"), ("TagValue", "prod"),
            ("InstanceName", null), ("Scope", null)));

        Assert.Contains(said, reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task PatchAllByTag_WhenOneInstanceHasNoPatchGroup_SaysItUsesTheDefaultBaselineInTheSingular()
    {
        var h = Large(300);
        h.Fleet.Add(IdOf(301), "web-301", "running", "Environment=prod");
        h.Ssm.Online(IdOf(301));

        var which = await h.Driver.SayAsync(Patch("environment", "prod"));
        var readBack = await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        Assert.StartsWith("That's 301 instances tagged Environment prod", which.Speech);
        Assert.Contains("300 instances in patch group prod-linux use the prod-linux baseline. "
            + "1 instance without a patch group uses the default baseline for its operating system.", readBack.Speech);
    }

    // A resolver that, once switched, answers every tag as more than a turn may read.
    private sealed class TooManySwitch(ITargetResolver inner) : ITargetResolver
    {
        public bool TooMany { get; set; }

        public Task<TargetResult> ResolveAsync(TargetQuery query, CancellationToken cancellationToken) => TooMany
            ? Task.FromResult<TargetResult>(new TargetResult.NotFound(NotFoundKind.TooManyToRead, "environment prod", null, []) { AtLeast = 5_000 })
            : inner.ResolveAsync(query, cancellationToken);

        public Task<IReadOnlyList<SecurityAlexa.Targets.InstanceInfo>> DescribeAsync(IReadOnlyCollection<string> instanceIds,
            CancellationToken cancellationToken) =>
            inner.DescribeAsync(instanceIds, cancellationToken);
    }

    // The signed session's data, as the skill wrote it.
    private static System.Text.Json.Nodes.JsonObject? State(PatchHarness h) =>
        (string?)h.Driver.Attributes?[SessionStore.AttributeName]?["data"] is { } data ? System.Text.Json.Nodes.JsonNode.Parse(data)!.AsObject() : null;

    private static int PendingCount(PatchHarness h) =>
        State(h)?["pending"] is { } p ? (int?)p["count"] ?? p["ids"]!.AsArray().Count : 0;
}
