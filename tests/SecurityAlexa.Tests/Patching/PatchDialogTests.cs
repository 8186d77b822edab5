using Amazon.SimpleSystemsManagement.Model;
using Moq;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>The "which ones?" and confirmation turns of PatchIntent, through the real entry point.</summary>
public sealed class PatchDialogTests
{
    private static void VerifyNothingSent(PatchHarness h) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    [Fact]
    public async Task Patch_WhenTagNamesSeveralInstances_ReadsThemBackAndAsksWhichOnes()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch("environment", "prod"));

        Assert.Equal("That's 3 instances tagged Environment prod: db-1, web-1 and web-2. Which ones should I patch?", reply.Speech);
        Assert.Equal("Selection", (string?)reply.Directive("Dialog.ElicitSlot")?["slotToElicit"]);
        Assert.False(reply.EndsSession);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenAnswerIsAllOfThem_ReadsBackEveryInstanceOnceAndAsksForYes()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        Assert.Equal(
            "Patching 3 instances, db-1, web-1 and web-2, with their patch baselines, rebooting if needed. " +
            "db-1 uses the default baseline for Amazon Linux. web-1 and web-2 use the prod-linux baseline. Shall I go ahead?",
            reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenAnswerIsJustOneSpokenName_ReadsBackOnlyThatInstance()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", name: "just web one"));

        Assert.Equal("Patching 1 instance, web-1, with its patch baseline, rebooting if needed. Shall I go ahead?", reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
        VerifyNothingSent(h);
    }

    [Theory]
    [InlineData("web one")]
    [InlineData("just web-1")]
    public async Task Patch_WhenTheAnswerIsANameInAnUnresolvedSelection_ReadsBackOnlyThatInstance(string heard)
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        // On a device a bare name can arrive in Selection, matching none of WHICH_ONES's values.
        var reply = await h.Driver.SayAsync(Answer("environment", "prod", selection: heard).Resolved("Selection", null));

        Assert.Equal("Patching 1 instance, web-1, with its patch baseline, rebooting if needed. Shall I go ahead?", reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenAnUnresolvedSelectionIsAboutQuantity_AsksAgainRatherThanGuessing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", selection: "every single one").Resolved("Selection", null));

        Assert.StartsWith("Sorry, I didn't get which ones.", reply.Speech);
        Assert.Equal("Selection", (string?)reply.Directive("Dialog.ElicitSlot")?["slotToElicit"]);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenAnUnresolvedSelectionNamesAnInstanceThatWasNotOffered_AsksAgainAndSendsNothing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", selection: "web three").Resolved("Selection", null));

        Assert.Equal("web three isn't one of them. Which ones should I patch: db-1, web-1 or web-2?", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenAnswerIsAllExcept_ReadsBackTheOthers()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", except: "db one"));

        Assert.StartsWith("Patching 2 instances, web-1 and web-2, with their patch baselines, rebooting if needed.", reply.Speech);
        Assert.DoesNotContain("db-1", reply.Speech);
    }

    [Fact]
    public async Task Patch_WhenAnswerNamesAnInstanceThatWasNotOffered_AsksAgainAndSendsNothing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", name: "web three"));

        Assert.Equal("web three isn't one of them. Which ones should I patch: db-1, web-1 or web-2?", reply.Speech);
        Assert.Equal("Selection", (string?)reply.Directive("Dialog.ElicitSlot")?["slotToElicit"]);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenUserCancelsAtWhichOnes_SaysNothingChangedAndSendsNothing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Support.AlexaRequests.Intent("AMAZON.CancelIntent"));

        Assert.Equal("OK, I won't patch anything. Nothing was changed.", reply.Speech);
        Assert.True(reply.EndsSession);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenUserSaysNoneAtWhichOnes_SaysNothingChangedAndSendsNothing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));

        var reply = await h.Driver.SayAsync(Answer("environment", "prod", selection: "none"));

        Assert.Equal("OK, I won't patch anything. Nothing was changed.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenUserSaysNoAtConfirmation_SendsNothingAndForgetsTheReadBack()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        var no = await h.Driver.SayAsync(Confirm("DENIED", "environment", "prod", selection: "all of them"));
        var lateYes = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Equal("OK, I won't patch anything. Nothing was changed.", no.Speech);
        Assert.Equal("Nothing was waiting for that yes, so I did nothing. Tell me which instances to patch.", lateYes.Speech);
        VerifyNothingSent(h);
        Assert.Contains(h.Audits, a => PatchHarness.Outcome(a) == "declined");
    }

    [Fact]
    public async Task Patch_WhenYesComesWithoutAnyReadBack_SendsNothing()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.Equal("Nothing was waiting for that yes, so I did nothing. Tell me which instances to patch.", reply.Speech);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenYesComesAfterTheReadBackExpired_ReadsBackAgainAndSendsNothing()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        h.Time.Advance(TimeSpan.FromMinutes(4));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        Assert.StartsWith("That confirmation took too long, so here it is again. Patching 3 instances", reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenWholeSmallTagGroupConfirmed_SendsByInstanceIdNotByTagWithTheConfiguredArguments()
    {
        // Never by tag on the small path: a tag-targeted command would also reach managed nodes EC2 does not show (mi-...),
        // which were never read back nor checked for Protected or isolation.
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Equal("AWS-RunPatchBaseline", sent.DocumentName);
        Assert.Null(sent.Targets);
        Assert.Equal([Db1, Web1, Web2], sent.InstanceIds);
        Assert.Equal(["Install"], sent.Parameters["Operation"]);
        Assert.Equal(["RebootIfNeeded"], sent.Parameters["RebootOption"]);
        Assert.Equal("25%", sent.MaxConcurrency);
        Assert.Equal("1", sent.MaxErrors);
        Assert.StartsWith("SecurityAlexa patch ref ", sent.Comment);
        Assert.True(sent.Comment.Length <= 100);
        Assert.Equal("Patching has started on 3 instances: db-1, web-1 and web-2. Ask me how the patching is going.", reply.Speech);
        Assert.Contains("cmd-1", reply.CardText);
    }

    [Fact]
    public async Task Patch_WhenSomeOfTheGroupChosen_TargetsTheirInstanceIdsNotTheTag()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", except: "db-1"));

        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", except: "db-1"));

        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Web1, Web2], sent.InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenTagGroupGainedAnInstanceSinceTheReadBack_TargetsOnlyTheIdsReadBack()
    {
        var fleet = Support.Ec2Fleet.Standard();
        var h = new PatchHarness(fleet);
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        fleet.Add("i-0ffffffffffff0009", "web-9", "running", "Environment=prod");
        h.Time.Advance(TimeSpan.FromMinutes(2)); // past the resolver's tag cache

        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));

        var sent = Assert.Single(h.Ssm.Sent);
        Assert.Null(sent.Targets);
        Assert.Equal([Db1, Web1, Web2], sent.InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenOneInstanceIsNamed_SkipsWhichOnesAndReadsItBack()
    {
        var h = new PatchHarness();

        var reply = await h.Driver.SayAsync(Patch(name: "web one"));

        Assert.Equal("Patching 1 instance, web-1, with its patch baseline, rebooting if needed. Shall I go ahead?", reply.Speech);
        Assert.Contains("Dialog.ConfirmIntent", reply.DirectiveTypes);
        VerifyNothingSent(h);
    }

    [Fact]
    public async Task Patch_WhenSent_WritesAuditRecordWithHashedSpeakerTargetsAndCommandId()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch(name: "web one"));

        await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        var audit = h.Audits.Single(a => PatchHarness.Outcome(a) == "sent");
        Assert.Equal("PatchIntent", (string?)audit["intent"]);
        Assert.Equal([Web1], audit["targets"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.Equal(["cmd-1"], PatchHarness.NoteList(audit, "commandIds"));
        var speaker = (string?)audit["speakerHash"];
        Assert.False(string.IsNullOrEmpty(speaker));
        Assert.DoesNotContain(Support.AlexaRequests.PersonId, string.Join("\n", h.Driver.Log.Lines));
    }
}
