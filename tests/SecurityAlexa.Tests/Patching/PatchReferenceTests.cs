using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Moq;
using Amazon.SimpleSystemsManagement.Model;
using SecurityAlexa.Aws;
using SecurityAlexa.Patching;
using SecurityAlexa.State;
using SecurityAlexa.Tests.State;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// Patch-command references in the state table (docs/state.md): claimed before SendCommand, given the command id once
/// known, read before ListCommands. Two harnesses sharing one <see cref="FakeDynamoDb"/>, one SSM and one fleet are two
/// Lambda containers of the same account.
/// </summary>
public sealed class PatchReferenceTests
{
    private static (PatchHarness A, PatchHarness B, FakeDynamoDb Table) TwoContainers()
    {
        var table = new FakeDynamoDb();
        var a = new PatchHarness(state: new DynamoStateTable(() => table.Client, table.TableName));
        var b = new PatchHarness(a.Fleet, a.Ssm, state: new DynamoStateTable(() => table.Client, table.TableName));
        return (a, b, table);
    }

    [Fact]
    public async Task Yes_WhenTheRecordOfTheSentCommandIsSlowerThanTheTurn_SaysThePatchStartedBeforeTheDeadline()
    {
        var table = new FakeDynamoDb();
        var h = new PatchHarness(state: new DynamoStateTable(() => table.Client, table.TableName));
        await h.SayWithFocusAsync(Patch(), ProdFocus);
        await h.Driver.SayAsync(Answer(selection: "all of them"));
        // The first write of a patch record after the claim (the sent command's id) does not answer.
        table.HangNext("UpdateItem", "patch#");

        var pending = h.Driver.SayAsync(Confirm("CONFIRMED", selection: "all of them"));
        await table.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(h.Ssm.Sent);
        // Within the turn, less the time kept for the answer: the record is given up on, not the answer.
        h.Time.Advance(TimeSpan.FromMilliseconds(6000));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("Patching has started on 3 instances: web-1, web-2 and db-1.", reply.Speech, StringComparison.Ordinal);
        Assert.Single(h.Ssm.Sent);
    }

    private static string KeyOf(string comment) => StateKeys.PatchCommand(PatchComment.ReferenceOf(comment)!, PatchComment.PartOf(comment));

    private static void VerifySendCalls(PatchHarness h, int times) =>
        h.Ssm.Mock.Verify(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(times));

    // The session as it was after the read-back: what Alexa sends again when the answer to the yes was lost.
    private static async Task<JsonObject> ReadBackWeb1Async(PatchHarness h)
    {
        await h.Driver.SayAsync(Patch(name: "web one"));
        return JsonNode.Parse(h.Driver.Attributes!.ToJsonString())!.AsObject();
    }

    private static AlexaRequests Yes(JsonObject session) => Confirm("CONFIRMED", name: "web one").InSession(session);

    [Fact]
    public async Task Yes_WhoseSendCommandAnswerIsLost_IsNeverSentTwiceAcrossTwoContainers()
    {
        var (a, b, table) = TwoContainers();
        var session = await ReadBackWeb1Async(a);
        // SSM accepts the command but its answer never arrives, and ListCommands does not show it yet.
        a.Ssm.LostAnswer = new TaskCanceledException("The request timed out (SDK HTTP timeout).");
        a.Ssm.Unlisted = true;

        var first = await a.Driver.SendAsync(Yes(session));
        // Alexa never heard that answer; the same yes comes again, to another container, with the session of the read-back.
        a.Ssm.LostAnswer = null;
        var second = await b.Driver.SendAsync(Yes(session));

        Assert.StartsWith("I asked Systems Manager to patch 1 instance, web-1, but it didn't answer in time", first.Speech);
        Assert.Equal("Another request has already asked Systems Manager to patch 1 instance, web-1, and I can't tell yet whether the "
            + "patching started. I won't send it again. Ask me how the patching is going in a minute.", second.Speech);
        VerifySendCalls(a, 1);
        var reference = table.Item(KeyOf(a.Ssm.Sent[0].Comment))!;
        Assert.Equal("patch-command", reference["kind"]);
        Assert.Equal("unknown", reference["state"]);
        Assert.False(reference.ContainsKey("commandId"));
        Assert.Equal(Web1, reference["targets"]);
        // The claim was one conditional put per container; the second one's condition failed.
        Assert.Equal(2, table.Requests<PutItemRequest>().Count(p => p.Item["pk"].S.StartsWith("patch#", StringComparison.Ordinal)
            && p.Item["pk"].S != StateKeys.PatchLatest));
        Assert.Equal("outcome-unknown", Outcome(b.Audits.Last()));
    }

    [Fact]
    public async Task Yes_WhoseReplyWasLostAfterSending_IsNotSentAgainByTheSecondContainer()
    {
        var (a, b, table) = TwoContainers();
        var session = await ReadBackWeb1Async(a);
        a.Ssm.Unlisted = true;

        var first = await a.Driver.SendAsync(Yes(session));
        var second = await b.Driver.SendAsync(Yes(session));

        Assert.StartsWith("Patching has started on 1 instance: web-1.", first.Speech);
        Assert.StartsWith("Patching has started on 1 instance: web-1.", second.Speech);
        VerifySendCalls(a, 1);
        Assert.Contains("Commands: cmd-1", second.CardText);
        Assert.Equal("sent", table.Item(KeyOf(a.Ssm.Sent[0].Comment))!["state"]);
        Assert.Equal("cmd-1", table.Item(KeyOf(a.Ssm.Sent[0].Comment))!["commandId"]);
        // Found through the table: no ListCommands page was read.
        Assert.Empty(a.Ssm.Searches);
    }

    [Fact]
    public async Task Status_InANewSession_FindsTheCommandThroughTheTable()
    {
        var (a, b, _) = TwoContainers();
        await ReadBackWeb1Async(a);
        await a.Driver.SayAsync(Confirm("CONFIRMED", name: "web one"));
        // ListCommands would not find it (beyond its one page); the table names the run.
        a.Ssm.Unlisted = true;
        a.Ssm.Invocations("cmd-1", (Web1, "InProgress"));

        var status = await b.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        Assert.StartsWith("Patching of 1 instance, started just now, is still running: 1 in progress.", status.Speech);
        Assert.Empty(a.Ssm.Searches);
        Assert.Contains(a.Ssm.ListRequests, r => r.CommandId == "cmd-1");
    }

    [Fact]
    public async Task Status_OfAnUnknownSend_FindsTheCommandIdAnotherContainerRecorded()
    {
        var (a, b, table) = TwoContainers();
        var session = await ReadBackWeb1Async(a);
        a.Ssm.LostAnswer = new TaskCanceledException("The request timed out (SDK HTTP timeout).");
        a.Ssm.Unlisted = true;
        await a.Driver.SayAsync(Yes(session));
        // The retry on the other container finds the command in ListCommands, and records its id in the table.
        a.Ssm.LostAnswer = null;
        a.Ssm.Unlisted = false;
        await b.Driver.SendAsync(Yes(session));
        Assert.Equal("cmd-1", table.Item(KeyOf(a.Ssm.Sent[0].Comment))!["commandId"]);
        a.Ssm.Unlisted = true;
        a.Ssm.Invocations("cmd-1", (Web1, "InProgress"));
        var searches = a.Ssm.Searches.Count;

        var status = await a.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        Assert.StartsWith("Patching of 1 instance, started just now, is still running: 1 in progress.", status.Speech);
        Assert.Equal(searches, a.Ssm.Searches.Count);
        VerifySendCalls(a, 1);
    }

    [Fact]
    public async Task TableFailure_BeforeSendCommand_SendsNothingAndSaysSo()
    {
        var (a, _, table) = TwoContainers();
        var session = await ReadBackWeb1Async(a);
        table.FailNext("PutItem", FakeDynamoDb.ServiceError("InternalServerError", HttpStatusCode.InternalServerError), "patch#");

        var reply = await a.Driver.SendAsync(Yes(session));

        Assert.Equal("I couldn't record the patch command in the skill's state table before sending it, so I sent nothing, to be sure "
            + "it can never be sent twice. Nothing was patched. Please try again in a minute.", reply.Speech);
        VerifySendCalls(a, 0);
        var audit = a.Audits.Last();
        Assert.Equal("not-recorded", Outcome(audit));
        Assert.Contains("dynamodb:PutItem", (string?)audit["notes"]?["error"]);
    }

    [Fact]
    public async Task RefusedSend_FreesTheReference_SoTheSameYesMaySendAgain()
    {
        var (a, b, table) = TwoContainers();
        var session = await ReadBackWeb1Async(a);
        a.Ssm.SendFailure = SsmPatchFake.Error("ThrottlingException", HttpStatusCode.BadRequest);

        await a.Driver.SendAsync(Yes(session));
        a.Ssm.SendFailure = null;
        var retry = await b.Driver.SendAsync(Yes(session));

        Assert.StartsWith("Patching has started on 1 instance: web-1.", retry.Speech);
        Assert.Single(a.Ssm.Sent);
        Assert.Equal("sent", table.Item(KeyOf(a.Ssm.Sent[0].Comment))!["state"]);
    }
}
