using System.Net;
using System.Net.Sockets;
using Amazon.SimpleSystemsManagement.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Patching;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// A SendCommand whose outcome is unknown (time-out, the turn's deadline, a 5xx, a broken connection): looked up by the
/// comment that carries the run's reference, never sent again, and resolved by status or by the next patch of the same instances.
/// </summary>
public sealed class PatchSendOutcomeTests
{
    private const string CantTell = "I asked Systems Manager to patch 1 instance, web-1, but it didn't answer in time, so I can't tell yet whether the patching started. "
        + "I won't send it again. Ask me how the patching is going in a minute.";

    private static AlexaRequests Status() => AlexaRequests.Intent("PatchStatusIntent");

    private static TaskCanceledException SdkTimeout() => new("The request timed out (SDK HTTP timeout).");

    private static void VerifySendCalls(PatchHarness h, int times) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(times));

    private static async Task<AlexaReply> PatchWeb1Async(PatchHarness h)
    {
        await h.Driver.SayAsync(Patch(name: "web one"));
        return await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));
    }

    // The run's reference, as the audit record of the failed send gives it.
    private static string ReferenceOfUnknownRun(PatchHarness h) =>
        (string)h.Audits.Single(a => Outcome(a) == "outcome-unknown")["notes"]!["patchRef"]!;

    [Fact]
    public async Task Patch_WhenSendCommandTimesOutButSsmAcceptedIt_SpeaksStartedAndSendsOnce()
    {
        var h = new PatchHarness();
        h.Ssm.LostAnswer = SdkTimeout();

        var reply = await PatchWeb1Async(h);

        Assert.Equal("Patching has started on 1 instance: web-1. Ask me how the patching is going.", reply.Speech);
        Assert.Contains("Commands: cmd-1", reply.CardText);
        VerifySendCalls(h, 1);
        var search = Assert.Single(h.Ssm.Searches);
        Assert.Contains(search.Filters, f => f.Key == "DocumentName" && f.Value == "AWS-RunPatchBaseline");
        var audit = h.Audits.Last();
        Assert.Equal("sent", Outcome(audit));
        Assert.Equal(["cmd-1"], NoteList(audit, "commandIds"));

        // Remembered like any sent command: status reads it by id.
        h.Ssm.Invocations("cmd-1", (Web1, "InProgress"));
        var status = await h.Driver.SayAsync(Status());
        Assert.StartsWith("Patching of 1 instance, started just now, is still running: 1 in progress.", status.Speech);
        Assert.Equal("cmd-1", h.Ssm.ListRequests.Last().CommandId);
    }

    [Fact]
    public async Task Patch_WhenSendCommandTimesOutAndSsmHasNoRecord_SaysItCannotTellAndTheRetryFindsItInsteadOfSending()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();

        var reply = await PatchWeb1Async(h);

        Assert.Equal(CantTell, reply.Speech);
        Assert.False(reply.EndsSession);
        VerifySendCalls(h, 1);
        Assert.Single(h.Ssm.Searches);
        var audit = h.Audits.Single(a => Outcome(a) == "outcome-unknown");
        Assert.Equal([Web1], NoteList(audit, "unknownTargets"));
        Assert.Empty(NoteList(audit, "commandIds"));

        // SSM had accepted it after all; the user, unsure, asks again at once. A resend would now succeed, and must not happen.
        h.Ssm.SendFailure = null;
        h.Ssm.Command("cmd-late", PatchComment.For(ReferenceOfUnknownRun(h), 1, 1), Start);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        var readBack = await h.Driver.SayAsync(Patch(name: "web one"));
        var again = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.EndsWith("Shall I go ahead?", readBack.Speech);
        Assert.Equal("Before sending anything, I checked the patching I asked Systems Manager for just now: it did start, on web-1, so I haven't sent it again. "
            + "Ask me how the patching is going.", again.Speech);
        Assert.Contains("Commands: cmd-late", again.CardText);
        VerifySendCalls(h, 1);
        Assert.Equal("already-sent", Outcome(h.Audits.Last()));

        // The run now follows the command found.
        h.Ssm.Invocations("cmd-late", (Web1, "Success"));
        var status = await h.Driver.SayAsync(Status());
        Assert.StartsWith("Patching of 1 instance", status.Speech);
        Assert.Equal("cmd-late", h.Ssm.ListRequests.Last().CommandId);
    }

    [Fact]
    public async Task Patch_WhenTheUnknownRunIsStillNotFound_RefusesToSendUntilAFewMinutesHavePassed()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();
        await PatchWeb1Async(h);
        h.Ssm.SendFailure = null;

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Driver.SayAsync(Patch(name: "web one"));
        var tooSoon = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.Equal("I still can't tell whether the patching I asked Systems Manager for 1 minute ago, on web-1, started, so I haven't sent anything, "
            + "to avoid patching twice. Ask me how the patching is going in a minute or two.", tooSoon.Speech);
        VerifySendCalls(h, 1);
        Assert.Equal("refused-outcome-unknown", Outcome(h.Audits.Last()));

        h.Time.Advance(TimeSpan.FromMinutes(3));
        await h.Driver.SayAsync(Patch(name: "web one"));
        var later = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.StartsWith("Patching has started on 1 instance: web-1.", later.Speech);
        Assert.Equal([Web1], Assert.Single(h.Ssm.Sent).InstanceIds);
    }

    [Fact]
    public async Task Patch_WhenALaterPatchOfOtherInstancesWentOut_StillHoldsBackTheInstancesOfTheUnknownRun()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();
        await PatchWeb1Async(h);
        h.Ssm.SendFailure = null;
        await h.Driver.SayAsync(Patch(name: "web two"));
        var web2 = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web two"));
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var again = await PatchWeb1Async(h);

        Assert.StartsWith("Patching has started on 1 instance: web-2.", web2.Speech);
        // The web-2 run became the last run; the unknown web-1 run is kept apart and still holds web-1 back.
        Assert.StartsWith("I still can't tell whether the patching I asked Systems Manager for 1 minute ago, on web-1, started", again.Speech);
        Assert.Equal([[Web2]], h.Ssm.Sent.Select(s => s.InstanceIds)); // the web-1 send timed out before SSM recorded it
        VerifySendCalls(h, 2);
        Assert.Equal("refused-outcome-unknown", Outcome(h.Audits.Last()));
    }

    [Fact]
    public async Task Patch_WhenTheUnknownRunCoversOtherInstances_SendsTheNewPatchWithoutWaiting()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();
        await PatchWeb1Async(h);
        h.Ssm.SendFailure = null;
        var searches = h.Ssm.Searches.Count;

        await h.Driver.SayAsync(Patch(name: "db one"));
        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "db one"));

        Assert.StartsWith("Patching has started on 1 instance: db-1.", reply.Speech);
        Assert.Equal([Db1], Assert.Single(h.Ssm.Sent).InstanceIds);
        Assert.Equal(searches, h.Ssm.Searches.Count);
    }

    [Fact]
    public async Task Status_WhenTheRunIsUnknown_FindsTheCommandByItsReferenceAndReportsIt()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();
        await PatchWeb1Async(h);
        h.Ssm.Command("cmd-1", "someone else's", Start).Command("cmd-2", PatchComment.For(ReferenceOfUnknownRun(h), 1, 1), Start)
            .Invocations("cmd-2", (Web1, "InProgress"));
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var status = await h.Driver.SayAsync(Status());

        Assert.Equal("Patching of 1 instance, started 1 minute ago, is still running: 1 in progress. Anything else?", status.Speech);
        Assert.Contains("Commands: cmd-2", status.CardText);
        Assert.Equal(2, h.Ssm.Searches.Count);

        // Found once, the run is remembered by its command id.
        var again = await h.Driver.SayAsync(Status());
        Assert.StartsWith("Patching of 1 instance", again.Speech);
        Assert.Equal(2, h.Ssm.Searches.Count);
        Assert.Equal("cmd-2", h.Ssm.ListRequests.Last().CommandId);
    }

    [Fact]
    public async Task Status_WhenTheRunIsUnknownAndNotFound_SaysNotYetThenMostLikelyNotSentAndTheNextPatchGoesOut()
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SdkTimeout();
        await PatchWeb1Async(h);
        h.Ssm.SendFailure = null;

        h.Time.Advance(TimeSpan.FromMinutes(1));
        var early = await h.Driver.SayAsync(Status());
        h.Time.Advance(TimeSpan.FromMinutes(3));
        var late = await h.Driver.SayAsync(Status());

        Assert.Equal("Systems Manager has no record yet of the patching I asked it for 1 minute ago, on web-1, so I can't tell yet whether it started. "
            + "Ask me again in a minute or two. Anything else?", early.Speech);
        Assert.Equal("Systems Manager still has no record of the patching I asked it for 4 minutes ago, on web-1, so it was most likely not sent. "
            + "It's safe to ask me to patch them again. Anything else?", late.Speech);

        await h.Driver.SayAsync(Patch(name: "web one"));
        var patched = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));
        Assert.StartsWith("Patching has started on 1 instance: web-1.", patched.Speech);
        Assert.Single(h.Ssm.Sent);
    }

    [Fact]
    public async Task Patch_WhenTheTurnDeadlineCutsSendCommandOff_SaysItCannotTellWithoutLookingUp()
    {
        var h = new PatchHarness();
        // The call is still out when the request's deadline fires (Alexa's budget less the margin).
        h.Ssm.OnSend = ct =>
        {
            h.Time.Advance(TimeSpan.FromSeconds(6.25));
            ct.ThrowIfCancellationRequested();
        };
        await h.Driver.SayAsync(Patch(name: "web one"));

        var reply = await h.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));

        Assert.Equal(CantTell, reply.Speech);
        Assert.Empty(h.Ssm.Searches);
        VerifySendCalls(h, 1);
        Assert.Equal("ssm:SendCommand Timeout", (string?)h.Audits.Last()["notes"]?["error"]);
    }

    [Theory]
    [InlineData("server-error")]
    [InlineData("connection-reset")]
    public async Task Patch_WhenSendCommandFailsAfterTheRequestMayHaveArrived_TreatsTheOutcomeAsUnknown(string kind)
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = kind == "server-error"
            ? SsmPatchFake.Error("InternalServerError", HttpStatusCode.InternalServerError)
            : new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset));

        var reply = await PatchWeb1Async(h);

        Assert.Equal("I asked Systems Manager to patch 1 instance, web-1, but the call failed without a clear answer, so I can't tell yet whether the patching started. "
            + "I won't send it again. Ask me how the patching is going in a minute.", reply.Speech);
        Assert.Single(h.Ssm.Searches);
        Assert.Equal("outcome-unknown", Outcome(h.Audits.Last()));
    }

    [Theory]
    [InlineData("ValidationException", HttpStatusCode.BadRequest, "Systems Manager refused the patch command, saying its targets aren't valid. Usually that means an agent went offline since I checked. Nothing was patched.")]
    [InlineData("InvalidParameters", HttpStatusCode.BadRequest, "Systems Manager refused the patch command, saying its targets aren't valid. Usually that means an agent went offline since I checked. Nothing was patched.")]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, "AWS is limiting how fast I can call it right now. Please try again in a minute.")]
    public async Task Patch_WhenSsmRefusesTheCommand_SaysNothingWasSentWithoutLookingItUp(string code, HttpStatusCode status, string expected)
    {
        var h = new PatchHarness();
        h.Ssm.SendFailure = SsmPatchFake.Error(code, status);

        var reply = await PatchWeb1Async(h);

        Assert.Equal(expected, reply.Speech);
        Assert.Empty(h.Ssm.Searches);
        Assert.Equal("failed", Outcome(h.Audits.Last()));

        // Nothing is held back: asking again sends at once.
        h.Ssm.SendFailure = null;
        h.Driver.EndSession();
        var again = await PatchWeb1Async(h);
        Assert.StartsWith("Patching has started on 1 instance: web-1.", again.Speech);
    }

    [Fact]
    public async Task Patch_WhenTheSecondOfThreeBatchesTimesOut_SaysWhatWentWhatIsUnknownAndSendsNoMore()
    {
        var h = new PatchHarness(PatchTargetingTests.Big(121), PatchTargetingTests.AllOnline(121), new Dictionary<string, string> { ["PATCH_CAP"] = "500" });
        h.Ssm.SendFailure = SdkTimeout();
        h.Ssm.FailSendAfter = 1;
        await h.Driver.SayAsync(Patch("fleet", "big"));
        await h.Driver.SayAsync(Answer("fleet", "big", except: "node-000"));

        var reply = await h.Driver.SayAsync(SayCount("120", "fleet", "big", except: "node-000"));

        Assert.StartsWith("I started patching 50 instances: node-001, node-002", reply.Speech);
        Assert.Contains("I asked Systems Manager to patch 50 instances, node-051, node-052", reply.Speech);
        Assert.EndsWith("but it didn't answer in time, so I can't tell yet whether the patching started. "
            + "I didn't send the command for the other 20, so those aren't being patched. "
            + "I won't send it again. Ask me how the patching is going in a minute.", reply.Speech);
        VerifySendCalls(h, 2);
        Assert.Single(h.Ssm.Sent);
        var audit = h.Audits.Last();
        Assert.Equal("outcome-unknown", Outcome(audit));
        Assert.Equal(["cmd-1"], NoteList(audit, "commandIds"));
        Assert.Equal(50, NoteList(audit, "unknownTargets").Length);
        Assert.Equal(20, NoteList(audit, "notSent").Length);
        Assert.Contains("part 2 of 3", reply.CardText);

        // Status follows the batch that went, and says the other is not known yet.
        h.Ssm.Invocations("cmd-1", [.. Enumerable.Range(1, 50).Select(i => ($"i-{i:D17}", "InProgress"))]);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var status = await h.Driver.SayAsync(Status());
        Assert.StartsWith("Patching of 50 instances, started 1 minute ago, is still running: 50 in progress. Systems Manager has no record yet", status.Speech);
    }

    [Fact]
    public async Task MayHaveBeenSent_SaysNoOnlyWhenSsmRefusedOrNoConnectionWasMade()
    {
        // Through AwsCall, as the adapter raises them from the SDK's exceptions.
        static async Task<bool> MayHaveBeenSent(Exception sdk) => PatchSendOutcome.MayHaveBeenSent(
            await Assert.ThrowsAsync<AwsCallException>(() => AwsCall.RunAsync<int>(AwsOperations.SsmSendCommand, _ => throw sdk, CancellationToken.None)));

        Assert.False(await MayHaveBeenSent(SsmPatchFake.Error("ValidationException", HttpStatusCode.BadRequest)));
        Assert.False(await MayHaveBeenSent(SsmPatchFake.Error("AccessDeniedException", HttpStatusCode.BadRequest)));
        Assert.False(await MayHaveBeenSent(SsmPatchFake.Error("ThrottlingException", HttpStatusCode.BadRequest)));
        Assert.False(await MayHaveBeenSent(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")));
        Assert.False(await MayHaveBeenSent(new HttpRequestException(HttpRequestError.NameResolutionError, "No such host")));
        Assert.True(await MayHaveBeenSent(SsmPatchFake.Error("InternalServerError", HttpStatusCode.InternalServerError)));
        Assert.True(await MayHaveBeenSent(SsmPatchFake.Error("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)));
        Assert.True(await MayHaveBeenSent(new TaskCanceledException("SDK HTTP timeout")));
        Assert.True(await MayHaveBeenSent(new IOException("Connection reset by peer")));
        Assert.True(await MayHaveBeenSent(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely")));
    }
}
