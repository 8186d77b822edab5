using System.Text.Json.Nodes;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

public sealed class BuiltInIntentTests
{
    private static PendingAction APendingPatch() => new() { Kind = "patch", Intent = "PrepareIntent", InstanceIds = ["i-1"] };

    // A stand-in capability that reads back an action, so that a pending action exists.
    private static DelegateHandler Prepare() => DelegateHandler.ForIntent("PrepareIntent",
        turn => Confirmation.Ask(turn, APendingPatch(), Spoken.Plain("Patch web-1?"), Spoken.Plain("Shall I?")));

    [Fact]
    public async Task Launch_WhenSessionStarts_SaysWhatTheSkillDoesInShortSentencesAndListens()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.Launch())).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("launch"), reply.Speech);
        Assert.Contains("scan", reply.Speech);
        Assert.Contains("patch", reply.Speech);
        Assert.Contains("isolate", reply.Speech);
        Assert.InRange(reply.Speech.Split(". ").Length, 1, 3);
        Assert.Equal(driver.Lang.Text("launch.reprompt"), reply.Reprompt);
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public async Task Help_WhenAsked_GivesExamplesAndListens()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.Intent("AMAZON.HelpIntent"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("help"), reply.Speech);
        Assert.Contains("Scan the instances tagged environment production", reply.Speech);
        Assert.Contains("Isolate web one", reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.NotEmpty(reply.Reprompt);
    }

    [Theory]
    [InlineData("AMAZON.StopIntent")]
    [InlineData("AMAZON.CancelIntent")]
    public async Task StopOrCancel_WhenNothingPending_SaysGoodbyeAndEndsSession(string intent)
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.Intent(intent))).AssertWellFormed();

        Assert.Equal("Goodbye.", reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Null(reply.SessionAttributes);
    }

    [Theory]
    [InlineData("AMAZON.StopIntent")]
    [InlineData("AMAZON.CancelIntent")]
    public async Task StopOrCancel_WhenActionPending_SaysNothingChangedAndDropsIt(string intent)
    {
        var driver = new SkillDriver(extraHandlers: [Prepare()]);
        var asked = await driver.SayAsync(AlexaRequests.Intent("PrepareIntent"));
        Assert.NotNull(asked.SessionAttributes);

        var reply = (await driver.SayAsync(AlexaRequests.Intent(intent))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("cancelled"), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Null(reply.SessionAttributes);
    }

    [Fact]
    public async Task Fallback_WhenWordsMatchedNothing_SaysWhatWorksAndListens()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.Intent("AMAZON.FallbackIntent"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("fallback"), reply.Speech);
        Assert.Equal(driver.Lang.Text("reprompt.generic"), reply.Reprompt);
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public async Task NavigateHome_WhenActionPending_StartsOverWithoutIt()
    {
        var driver = new SkillDriver(extraHandlers: [Prepare()]);
        await driver.SayAsync(AlexaRequests.Intent("PrepareIntent"));

        var reply = (await driver.SayAsync(AlexaRequests.Intent("AMAZON.NavigateHomeIntent"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("navigateHome"), reply.Speech);
        Assert.False(reply.EndsSession);
        // The pending action is gone: nothing is carried into the next turn.
        Assert.Null(reply.SessionAttributes);
    }

    [Theory]
    [InlineData("AMAZON.YesIntent", "yes.nothingPending")]
    [InlineData("AMAZON.NoIntent", "no.nothingPending")]
    public async Task BareYesOrNo_WhenActionPending_NeverActsAndDropsIt(string intent, string key)
    {
        var prepare = Prepare();
        var driver = new SkillDriver(extraHandlers: [prepare]);
        await driver.SayAsync(AlexaRequests.Intent("PrepareIntent"));

        var reply = (await driver.SayAsync(AlexaRequests.Intent(intent))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text(key), reply.Speech);
        Assert.Equal(1, prepare.Calls);
        Assert.Null(reply.SessionAttributes);
        Assert.Contains(driver.LogsOf("invocation"), r => (string?)r["outcome"] == "nothing-pending");
    }

    [Fact]
    public async Task UnhandledIntent_WhenNoHandlerClaimsIt_GivesHelpfulAnswerNotAnError()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.Intent("SomeFutureIntent", ("Thing", "x")))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("unhandledIntent"), reply.Speech);
        Assert.False(reply.EndsSession);
        Assert.DoesNotContain(driver.LogRecords, r => (string?)r["level"] == "ERROR");
    }

    [Fact]
    public async Task ConfirmIntent_WhenCapabilityReadsBack_SendsDialogConfirmIntentWithTheCurrentIntent()
    {
        var driver = new SkillDriver(extraHandlers: [Prepare()]);

        var reply = (await driver.SayAsync(AlexaRequests.Intent("PrepareIntent", ("TagValue", "prod")))).AssertWellFormed();

        Assert.Equal("Patch web-1?", reply.Speech);
        Assert.Equal("Shall I?", reply.Reprompt);
        var directive = Assert.Single(reply.Directives)!;
        Assert.Equal("Dialog.ConfirmIntent", (string?)directive["type"]);
        Assert.Equal("PrepareIntent", (string?)directive["updatedIntent"]!["name"]);
        Assert.Equal("NONE", (string?)directive["updatedIntent"]!["confirmationStatus"]);
        Assert.Equal("prod", (string?)directive["updatedIntent"]!["slots"]!["TagValue"]!["value"]);
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public async Task ElicitSlot_WhenHandlerAsksWhichOnes_SendsDialogElicitSlotAndKeepsSessionOpen()
    {
        var ask = DelegateHandler.ForIntent("PatchIntent", turn =>
            Reply.ElicitSlot(Spoken.Plain("Which ones?"), Spoken.Plain("All of them, or just some?"), "Selection", turn.Intent!));
        var driver = new SkillDriver(extraHandlers: [ask]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("PatchIntent", ("Selection", null)))).AssertWellFormed();

        var directive = reply.Directive("Dialog.ElicitSlot")!;
        Assert.Equal("Selection", (string?)directive["slotToElicit"]);
        Assert.Equal("PatchIntent", (string?)directive["updatedIntent"]!["name"]);
        Assert.Equal("Which ones?", reply.Speech);
        Assert.False(reply.EndsSession);
    }

    [Fact]
    public async Task Delegate_WhenHandlerDelegates_SendsNoSpeechBesideTheDirective()
    {
        var delegating = DelegateHandler.ForIntent("ScanIntent", turn => Reply.Delegate(turn.Intent));
        var driver = new SkillDriver(extraHandlers: [delegating]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment")))).AssertWellFormed();

        Assert.Equal(["Dialog.Delegate"], reply.DirectiveTypes);
        Assert.Null(reply.Response!["outputSpeech"]);
        Assert.Null(reply.Response["reprompt"]);
        Assert.Null(reply.EndsSession);
        Assert.Equal("environment", (string?)reply.Directives[0]!["updatedIntent"]!["slots"]!["TagKey"]!["value"]);
    }

    [Fact]
    public async Task CanFulfill_WhenIntentIsOurs_AnswersYesWithoutSpeechOrState()
    {
        var driver = new SkillDriver();
        var request = AlexaRequests.Raw(new JsonObject
        {
            ["type"] = "CanFulfillIntentRequest",
            ["intent"] = new JsonObject
            {
                ["name"] = "AMAZON.HelpIntent",
                ["slots"] = new JsonObject { ["Topic"] = new JsonObject { ["name"] = "Topic", ["value"] = "patching" } },
            },
        });

        var reply = (await driver.SendAsync(request)).AssertWellFormed();

        Assert.Equal("YES", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Equal("MAYBE", (string?)reply.Response["canFulfillIntent"]!["slots"]!["Topic"]!["canUnderstand"]);
        Assert.Equal("YES", (string?)reply.Response["canFulfillIntent"]!["slots"]!["Topic"]!["canFulfill"]);
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Null(reply.SessionAttributes);
    }

    [Fact]
    public async Task CanFulfill_WhenIntentIsNotOurs_AnswersNo()
    {
        var driver = new SkillDriver();
        var request = AlexaRequests.Raw(new JsonObject
        {
            ["type"] = "CanFulfillIntentRequest",
            ["intent"] = new JsonObject { ["name"] = "PlaySoundIntent" },
        });

        var reply = (await driver.SendAsync(request)).AssertWellFormed();

        Assert.Equal("NO", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Null(reply.Response["canFulfillIntent"]!["slots"]);
        Assert.Null(reply.Response["outputSpeech"]);
    }

    [Fact]
    public async Task SessionEnded_WhenAlexaReportsAnError_AnswersEmptyAndLogsReasonAndError()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendRawAsync(Fixtures.Request("session-ended-error.json").Replace(
            "amzn1.ask.skill.11111111-2222-3333-4444-555555555555", AlexaRequests.SkillId, StringComparison.Ordinal)));

        var parsed = new AlexaReply(reply).AssertWellFormed();
        Assert.True(parsed.IsEmpty);
        Assert.Null(parsed.SessionAttributes);
        var ended = Assert.Single(driver.LogsOf("session.ended"));
        Assert.Equal("WARN", (string?)ended["level"]);
        Assert.Equal("ERROR", (string?)ended["reason"]);
        Assert.Equal("INVALID_RESPONSE", (string?)ended["errorType"]);
        Assert.StartsWith("The response contains a directive", (string?)ended["errorMessage"]);
    }

    [Fact]
    public async Task SessionEnded_WhenUserEndedIt_AnswersEmptyAndLogsReason()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.SessionEnded("USER_INITIATED"))).AssertWellFormed();

        Assert.True(reply.IsEmpty);
        var ended = Assert.Single(driver.LogsOf("session.ended"));
        Assert.Equal(("INFO", "USER_INITIATED"), ((string?)ended["level"], (string?)ended["reason"]));
        Assert.Null(ended["errorType"]);
    }

    [Fact]
    public async Task ExceptionEncountered_WhenAlexaRejectedAResponse_AnswersEmptyAndLogsTheError()
    {
        var driver = new SkillDriver();

        var reply = new AlexaReply(await driver.SendRawAsync(Fixtures.Request("exception-encountered.json").Replace(
            "amzn1.ask.skill.11111111-2222-3333-4444-555555555555", AlexaRequests.SkillId, StringComparison.Ordinal))).AssertWellFormed();

        Assert.True(reply.IsEmpty);
        var logged = Assert.Single(driver.LogsOf("alexa.exception"));
        Assert.Equal("ERROR", (string?)logged["level"]);
        Assert.Equal("INVALID_RESPONSE", (string?)logged["errorType"]);
        Assert.Equal("Invalid directive in response.", (string?)logged["errorMessage"]);
        Assert.Equal("amzn1.echo-api.request.fx-earlier", (string?)logged["causeRequestId"]);
        Assert.Equal("System.ExceptionEncountered", (string?)Assert.Single(driver.LogsOf("invocation"))["requestType"]);
    }
}
