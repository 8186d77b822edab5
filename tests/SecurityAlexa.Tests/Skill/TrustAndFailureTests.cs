using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Skill;

public sealed partial class TrustAndFailureTests
{
    // A stand-in capability that would read the EC2 directory for any request it is given.
    private static DelegateHandler ReadsEc2(IInstanceDirectory directory) => DelegateHandler.Everything(async turn =>
    {
        await directory.FindInstancesAsync(new InstanceFilter(), null, turn.Cancellation);
        return Reply.Tell(Spoken.Plain("acted"));
    });

    [Fact]
    public async Task Request_WhenSkillIdIsForged_RunsNoHandlerMakesNoAwsCallAndLogsSecurityEvent()
    {
        var ec2 = new Mock<IInstanceDirectory>(MockBehavior.Strict);
        var handler = ReadsEc2(ec2.Object);
        var driver = new SkillDriver(new SkillServices { Instances = ec2.Object }, extraHandlers: [handler]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web-1")).FromSkill("amzn1.ask.skill.forged"))).AssertWellFormed();

        Assert.Equal(0, handler.Calls);
        ec2.VerifyNoOtherCalls();
        Assert.Equal(driver.Lang.Text("notForThisSkill"), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Null(reply.SessionAttributes);
        var security = Assert.Single(driver.LogsOf("skill-id.rejected"));
        Assert.Equal(("SECURITY", "mismatch"), ((string?)security["level"], (string?)security["reason"]));
        Assert.Equal("rejected-mismatch", (string?)Assert.Single(driver.LogsOf("invocation"))["outcome"]);
    }

    [Fact]
    public async Task Request_WhenApplicationIdIsMissingEverywhere_IsRefused()
    {
        var handler = DelegateHandler.Everything(_ => Task.FromResult(Reply.Tell(Spoken.Plain("acted"))));
        var driver = new SkillDriver(extraHandlers: [handler]);
        var request = AlexaRequests.Launch();
        ((JsonObject)request.Root["session"]!).Remove("application");
        ((JsonObject)request.Root["context"]!["System"]!).Remove("application");

        var reply = await driver.SendAsync(request);

        Assert.Equal(0, handler.Calls);
        Assert.Equal(driver.Lang.Text("notForThisSkill"), reply.Speech);
    }

    [Fact]
    public async Task Request_WhenContextIsMissing_ChecksTheSessionApplicationId()
    {
        var driver = new SkillDriver();
        var genuine = AlexaRequests.Intent("AMAZON.HelpIntent");
        genuine.Root.Remove("context");
        var forged = AlexaRequests.Intent("AMAZON.HelpIntent").FromSkill("amzn1.ask.skill.forged");
        forged.Root.Remove("context");

        Assert.Equal(driver.Lang.Text("help"), (await driver.SendAsync(genuine)).Speech);
        Assert.Equal(driver.Lang.Text("notForThisSkill"), (await driver.SendAsync(forged)).Speech);
    }

    [Fact]
    public async Task SessionEnded_WhenSkillIdIsForged_StaysSilent()
    {
        var driver = new SkillDriver();

        var reply = (await driver.SendAsync(AlexaRequests.SessionEnded().FromSkill("amzn1.ask.skill.forged"))).AssertWellFormed();

        Assert.True(reply.IsEmpty);
        Assert.Empty(driver.LogsOf("session.ended"));
        Assert.Single(driver.LogsOf("skill-id.rejected"));
    }

    [Fact]
    public async Task Request_WhenLambdaHasNoSkillIdConfigured_FailsClosed()
    {
        var ec2 = new Mock<IInstanceDirectory>(MockBehavior.Strict);
        var handler = ReadsEc2(ec2.Object);
        var driver = new SkillDriver(new SkillServices { Instances = ec2.Object },
            environment: new Dictionary<string, string> { ["SKILL_ID"] = "" }, extraHandlers: [handler]);

        var reply = (await driver.SendAsync(AlexaRequests.Launch())).AssertWellFormed();

        Assert.Equal(0, handler.Calls);
        ec2.VerifyNoOtherCalls();
        Assert.Equal(driver.Lang.Text("notConfigured"), reply.Speech);
        Assert.Equal("not-configured", (string?)Assert.Single(driver.LogsOf("skill-id.rejected"))["reason"]);
        // The misconfiguration is reported once, when the container starts.
        Assert.Single(driver.LogsOf("config.skill-id"));
    }

    [Fact]
    public void FromEnvironment_WhenNotToldOtherwise_RequiresASkillId()
    {
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string>());

        Assert.True(config.RequireSkillId);
        Assert.Null(config.SkillId);
    }

    [Theory]
    [InlineData("{\"version\": \"1.0\", \"request\": {")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"version\":\"1.0\",\"request\":{\"type\":\"IntentRequest\",\"intent\":\"not an object\"}}")]
    [InlineData("{\"hello\":\"world\"}")]
    public async Task HandleAsync_WhenPayloadIsNotAReadableRequest_AnswersWellFormedApology(string payload)
    {
        var driver = new SkillDriver();

        var reply = new AlexaReply(await driver.SendRawAsync(payload)).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("badRequest"), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Single(driver.LogsOf("request.invalid"));
    }

    // The account the request fixtures come from, which these tests' function serves.
    private static readonly string FixtureUser = SecurityAlexa.Security.IdentityHash.Of("amzn1.ask.account.FIXTUREUSER")!;

    [Fact]
    public async Task HandleAsync_WhenFileStartsWithByteOrderMark_ReadsTheRequest()
    {
        var driver = new SkillDriver(time: Fixtures.ClockAt("bom-launch.json"), environment: new Dictionary<string, string> { ["SKILL_ID"] = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555", ["ALLOWED_USERS"] = FixtureUser });

        var reply = new AlexaReply(await driver.SendBytesAsync(Fixtures.RequestBytes("bom-launch.json"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("launch"), reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenRequestTypeIsUnknown_AnswersPolitelyAndLogsTheType()
    {
        var driver = new SkillDriver(time: Fixtures.ClockAt("connections-response.json"), environment: new Dictionary<string, string> { ["SKILL_ID"] = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555", ["ALLOWED_USERS"] = FixtureUser });

        var reply = new AlexaReply(await driver.SendRawAsync(Fixtures.Request("connections-response.json"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("unknownRequest"), reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.Equal("Connections.Response", (string?)Assert.Single(driver.LogsOf("request.unknown-type"))["type"]);
        Assert.Equal("unknown-request", (string?)Assert.Single(driver.LogsOf("invocation"))["outcome"]);
    }

    [Fact]
    public async Task HandleAsync_WhenHandlerThrows_ApologisesWithReferenceThatIsInTheLog()
    {
        var failing = DelegateHandler.ForIntent("ScanIntent", (Func<TurnContext, Reply>)(_ => throw new InvalidOperationException("inspector said no")));
        var driver = new SkillDriver(extraHandlers: [failing]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanIntent"))).AssertWellFormed();

        var match = ReferencePattern().Match(reply.Speech);
        Assert.True(match.Success, reply.Speech);
        var reference = match.Groups["ref"].Value;
        Assert.Equal(driver.Lang.Text("error.reference", ("ref", reference)), reply.Speech);
        Assert.Contains("<say-as interpret-as=\"characters\">" + reference + "</say-as>", reply.Ssml);
        Assert.True(reply.EndsSession);
        var failure = Assert.Single(driver.LogsOf("handler.failed"));
        Assert.Equal(("ERROR", reference), ((string?)failure["level"], (string?)failure["errorRef"]));
        Assert.Equal("System.InvalidOperationException", (string?)failure["exception"]);
        Assert.Equal("inspector said no", (string?)failure["message"]);
        Assert.Equal("DelegateHandler", (string?)failure["handler"]);
        Assert.Equal(reference, (string?)Assert.Single(driver.LogsOf("invocation"))["errorRef"]);
    }

    [Fact]
    public async Task HandleAsync_WhenHandlerFailsAsynchronously_ApologisesWithReference()
    {
        var failing = DelegateHandler.ForIntent("ScanIntent", async turn =>
        {
            await Task.Yield();
            throw new InvalidOperationException("later");
        });
        var driver = new SkillDriver(extraHandlers: [failing]);

        var reply = await driver.SendAsync(AlexaRequests.Intent("ScanIntent"));

        Assert.Matches(ReferencePattern(), reply.Speech);
        Assert.Single(driver.LogsOf("handler.failed"));
    }

    [Fact]
    public async Task HandleAsync_WhenHandlerReturnsNoReply_ApologisesWithReference()
    {
        var broken = DelegateHandler.ForIntent("ScanIntent", _ => Task.FromResult<Reply>(null!));
        var driver = new SkillDriver(extraHandlers: [broken]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanIntent"))).AssertWellFormed();

        Assert.Matches(ReferencePattern(), reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenAwsCallFails_NamesTheOperation()
    {
        var failing = DelegateHandler.ForIntent("IsolateIntent", (Func<TurnContext, Reply>)(_ =>
            throw new AwsCallException("ec2:ModifyNetworkInterfaceAttribute", AwsFailure.AccessDenied, "UnauthorizedOperation", System.Net.HttpStatusCode.Forbidden, "denied", null)));
        var driver = new SkillDriver(extraHandlers: [failing]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("IsolateIntent"))).AssertWellFormed();

        Assert.Equal(driver.Lang.Text("aws.accessDenied", ("operation", "ec2:ModifyNetworkInterfaceAttribute")), reply.Speech);
        var logged = Assert.Single(driver.LogsOf("aws.failed"));
        Assert.Equal(("UnauthorizedOperation", 403), ((string?)logged["errorCode"], (int?)logged["status"]));
    }

    [Fact]
    public async Task Speech_WhenValueFromOutsideContainsSsml_IsEscapedNotInjected()
    {
        const string hostile = "<audio src=\"https://evil.example/x.mp3\"/> & <break time=\"10s\"/>";
        var echo = DelegateHandler.ForIntent("ScanIntent", turn => Reply.Tell(turn.Lang.Say("aws.accessDenied", ("operation", hostile))));
        var driver = new SkillDriver(extraHandlers: [echo]);

        var reply = (await driver.SendAsync(AlexaRequests.Intent("ScanIntent"))).AssertWellFormed();

        Assert.DoesNotContain("<audio", reply.Ssml);
        Assert.DoesNotContain("<break", reply.Ssml);
        Assert.Contains("&lt;audio src=\"https://evil.example/x.mp3\"/&gt; &amp; &lt;break", reply.Ssml);
        Assert.Contains(hostile, reply.Speech);
    }

    [Fact]
    public async Task Logs_WhenAnyRequestIsHandled_NeverHoldTokensOrClearIds()
    {
        var failing = DelegateHandler.ForIntent("ScanIntent", (Func<TurnContext, Reply>)(_ => throw new InvalidOperationException("boom")));
        var driver = new SkillDriver(extraHandlers: [failing]);
        AlexaRequests[] requests =
        [
            AlexaRequests.Launch(),
            AlexaRequests.Intent("AMAZON.HelpIntent"),
            AlexaRequests.Intent("ScanIntent"),
            AlexaRequests.Intent("SomeFutureIntent"),
            AlexaRequests.SessionEnded("ERROR", "INVALID_RESPONSE"),
            AlexaRequests.Launch().FromSkill("amzn1.ask.skill.forged"),
            AlexaRequests.Launch().InSession(new JsonObject { [SessionStore.AttributeName] = new JsonObject { ["v"] = 1, ["data"] = "{}", ["sig"] = "forged" } }),
            AlexaRequests.Raw(new JsonObject { ["type"] = "Connections.Response" }),
        ];
        foreach (var request in requests)
        {
            request.Root["session"]!["user"]!["accessToken"] = "account-link-token-secret";
            request.Root["context"]!["System"]!["user"]!["accessToken"] = "account-link-token-secret";
            await driver.SendAsync(request);
        }
        await driver.SendRawAsync("{\"context\":{\"System\":{\"apiAccessToken\":\"test-access-token\",\"user\":{\"userId\":\"" + AlexaRequests.UserId + "\"}}},\"request\":");

        var all = string.Join("\n", driver.Log.Lines);
        Assert.DoesNotContain("test-access-token", all);
        Assert.DoesNotContain("account-link-token-secret", all);
        Assert.DoesNotContain(AlexaRequests.UserId, all);
        Assert.DoesNotContain(AlexaRequests.PersonId, all);
        Assert.DoesNotContain("TESTUSER", all);
        Assert.DoesNotContain("TESTPERSON", all);
        // The invocations are still attributable, by hash.
        var userHash = IdentityHash.Of(AlexaRequests.UserId, "");
        Assert.Equal(requests.Length, driver.LogsOf("invocation").Count);
        Assert.All(driver.LogsOf("invocation"), r => Assert.Equal(userHash, (string?)r["userHash"]));
        Assert.All(driver.LogRecords, r => Assert.NotNull((string?)r["kind"]));
    }

    [Fact]
    public async Task Logs_WhenInvocationIsSummarised_CarryRequestIdTypeIntentOutcomeAndDuration()
    {
        var driver = new SkillDriver();
        var request = AlexaRequests.Intent("AMAZON.HelpIntent").Dialog("STARTED");

        await driver.SendAsync(request);

        var summary = Assert.Single(driver.LogsOf("invocation"));
        Assert.Equal("INFO", (string?)summary["level"]);
        Assert.Equal(request.RequestId, (string?)summary["requestId"]);
        Assert.Equal("IntentRequest", (string?)summary["requestType"]);
        Assert.Equal("AMAZON.HelpIntent", (string?)summary["intent"]);
        Assert.Equal("HelpHandler", (string?)summary["handler"]);
        Assert.Equal("ok", (string?)summary["outcome"]);
        Assert.NotNull(summary["durationMs"]);
        Assert.NotNull(summary["time"]);
        Assert.NotNull(summary["deadline"]);
    }

    [GeneratedRegex("the reference is (?<ref>[A-Z2-9]{5})\\.$")]
    private static partial Regex ReferencePattern();
}
