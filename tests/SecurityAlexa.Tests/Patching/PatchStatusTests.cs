using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Patching;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>PatchStatusIntent: the latest run, its invocations and, once finished, the compliance left behind.</summary>
public sealed class PatchStatusTests
{
    private static Support.AlexaRequests Status() => Support.AlexaRequests.Intent("PatchStatusIntent");

    [Fact]
    public async Task Status_WhenTheSessionHasARunWithMixedResults_SpeaksTheCountsAndNamesTheFailed()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));
        h.Ssm.CommandStatusIs("cmd-1", "InProgress").Invocations("cmd-1", (Web1, "Success"), (Web2, "InProgress"), (Db1, "Failed"));
        h.Time.Advance(TimeSpan.FromMinutes(3));

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 3 instances, started 3 minutes ago, is still running: 1 succeeded, 1 in progress and 1 failed. It failed on db-1. Anything else?", reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.Contains("db-1 (i-0a1b2c3d4e5f64f2a): Failed", reply.CardText);
        // Compliance is read only after the run has finished.
        h.Ssm.Mock.Verify(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal("cmd-1", h.Ssm.ListRequests.Single().CommandId);
    }

    [Fact]
    public async Task Status_WhenTheRunHasFinished_ReadsComplianceAndSaysWhatIsLeft()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch("environment", "prod"));
        await h.Driver.SayAsync(Answer("environment", "prod", selection: "all of them"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", "environment", "prod", selection: "all of them"));
        h.Ssm.CommandStatusIs("cmd-1", "Failed").Invocations("cmd-1", (Web1, "Success"), (Web2, "Success"), (Db1, "Failed"))
            .PatchState(Web1).PatchState(Web2, pendingReboot: 1).PatchState(Db1, missing: 3, failed: 1, critical: 2);
        h.Time.Advance(TimeSpan.FromMinutes(10));

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal(
            "Patching of 3 instances, started 10 minutes ago, has finished: 2 succeeded and 1 failed. It failed on db-1. " +
            "Patches failed to install on db-1. Still missing patches: db-1. Waiting for a reboot to finish installing: web-2. " +
            "Still not compliant for critical or security patches: db-1. Anything else?",
            reply.Speech);
        Assert.Equal([Web1, Web2, Db1], h.Ssm.PatchStateRequests.Single().InstanceIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Status_WhenEverythingSucceededAndComplies_SaysSo()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch(name: "web one"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));
        h.Ssm.CommandStatusIs("cmd-1", "Success").Invocations("cmd-1", (Web1, "Success")).PatchState(Web1);

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 1 instance, started just now, has finished: 1 succeeded. It now complies with its patch baseline. Anything else?", reply.Speech);
    }

    [Fact]
    public async Task Status_WhenAskedOneShotInANewSession_AnswersAndEndsTheSession()
    {
        var h = new PatchHarness();
        await h.Driver.SayAsync(Patch(name: "web one"));
        await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));
        h.Ssm.CommandStatusIs("cmd-1", "Success").Invocations("cmd-1", (Web1, "Success")).PatchState(Web1);
        h.Driver.EndSession();

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 1 instance, started just now, has finished: 1 succeeded. It now complies with its patch baseline.", reply.Speech);
        Assert.True(reply.EndsSession);
    }

    [Fact]
    public async Task Status_WhenATagTargetedCommandHasNotReachedEveryInstance_CountsTheRestAsInProgress()
    {
        var ssm = new SsmPatchFake()
            .Command("cmd-tag", PatchComment.For("abcd1234", 1, 1), Start, "InProgress", targetCount: 3)
            .Invocations("cmd-tag", (Web1, "Success"));
        var h = new PatchHarness(ssm: ssm);
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 3 instances, started 5 minutes ago, is still running: 1 succeeded and 2 in progress.", reply.Speech);
    }

    [Fact]
    public async Task Status_WhenANewSessionAsks_FindsTheLatestRunOfThisSkillByItsComment()
    {
        var ssm = new SsmPatchFake()
            .Command("someone-elses", "nightly patching", Start.AddMinutes(-5), "Success", 2)
            .Command("old-1", PatchComment.For("00000001", 1, 1), Start.AddHours(-5), "Success", 1)
            .Command("new-1", PatchComment.For("00000002", 1, 2), Start.AddMinutes(-30), "Success", 1)
            .Command("new-2", PatchComment.For("00000002", 2, 2), Start.AddMinutes(-30), "Success", 1)
            .Invocations("someone-elses", (Web3, "Failed"), (Api1, "Failed"))
            .Invocations("old-1", (Db1, "Failed"))
            .Invocations("new-1", (Web1, "Success"))
            .Invocations("new-2", (Web2, "Success"))
            .PatchState(Web1).PatchState(Web2);
        var h = new PatchHarness(ssm: ssm);

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 2 instances, started 30 minutes ago, has finished: 2 succeeded. All of them now comply with their patch baselines.", reply.Speech);
        var list = h.Ssm.ListRequests.Single();
        Assert.Null(list.CommandId);
        Assert.Contains(list.Filters, f => f.Key == "DocumentName" && f.Value == "AWS-RunPatchBaseline");
        Assert.Contains(list.Filters, f => f.Key == "InvokedAfter" && f.Value == "2026-11-26T10:00:00Z");
    }

    [Fact]
    public async Task Status_WhenTheSkillHasNotPatchedAnything_SaysSo()
    {
        var h = new PatchHarness(ssm: new SsmPatchFake().Command("someone-elses", "nightly", Start, "Success", 1));

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("I can't find any patching I started recently. After a scan, say patch them, or say patch the instances tagged environment prod.", reply.Speech);
        h.Ssm.Mock.Verify(m => m.ListCommandInvocationsAsync(It.IsAny<ListCommandInvocationsRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Status_WhenListCommandsIsDenied_NamesTheMissingPermission()
    {
        var h = new PatchHarness();
        h.Ssm.Mock.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(SsmPatchFake.Error("AccessDeniedException", System.Net.HttpStatusCode.BadRequest));

        var reply = await h.Driver.SayAsync(Status());

        Assert.Equal("I'm not allowed to call ssm:ListCommands. Add that permission to the function's role, then try again.", reply.Speech);
    }
}
