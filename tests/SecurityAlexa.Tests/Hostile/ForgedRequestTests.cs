using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Requests that claim to be something they are not: another skill, no context, unknown types.</summary>
public sealed class ForgedRequestTests
{
    private static async Task<(HostileHarness H, AlexaRequests Confirm)> ValidConfirmationAsync()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        return (h, HostileHarness.Confirm("IsolateIntent", "web-1", attributes));
    }

    [Fact]
    public async Task HandleAsync_WhenTheApplicationIdIsForged_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();

        var reply = await h.Driver.SendAsync(confirm.FromSkill("amzn1.ask.skill.forged"));

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I can't help with that.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenOnlyTheContextApplicationIdIsForged_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Root["context"]!["System"]!["application"]!["applicationId"] = "amzn1.ask.skill.forged";

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenContextIsMissing_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Root.Remove("context");

        // The session still names the skill, but without context there is no recognised speaker.
        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.StartsWith("I only make changes for a recognised voice", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenContextAndSessionAreMissing_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Root.Remove("context");
        confirm.Root.Remove("session");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheSpeakerIsOnlyClaimedInTheSession_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        ((JsonObject)confirm.Root["context"]!["System"]!).Remove("person");
        confirm.Root["session"]!["person"] = new JsonObject { ["personId"] = AlexaRequests.PersonId };

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Theory]
    [InlineData("Alexa.Presentation.APL.UserEvent")]
    [InlineData("Connections.Response")]
    [InlineData("intentrequest")]
    [InlineData("")]
    public async Task HandleAsync_WhenTheRequestTypeIsUnknown_ActsOnNothing(string type)
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request["type"] = type;

        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I can't handle that kind of request. You can ask me to scan, patch or isolate instances.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestTypeIsMissing_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request.Remove("type");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenACanFulfillRequestNamesAChange_AnswersWithoutActing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request["type"] = "CanFulfillIntentRequest";

        var reply = await h.Driver.SendAsync(confirm);

        // The stubs are not in SkillModules' list of known intents, so today the answer is NO; after merge, YES.
        Assert.Contains((string?)reply.Response!["canFulfillIntent"]!["canFulfill"], new[] { "YES", "NO" });
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Empty(h.MutatingCalls);
        h.AssertNoException();
    }

    [Fact]
    public async Task HandleAsync_WhenTheIntentIsMissing_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request.Remove("intent");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Theory]
    [InlineData("isolateintent")]
    [InlineData("IsolateIntent ")]
    [InlineData("AMAZON.IsolateIntent")]
    [InlineData("")]
    public async Task HandleAsync_WhenTheIntentNameIsNearlyRight_ActsOnNothing(string name)
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request["intent"]!["name"] = name;

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestIdIsMissing_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.Request.Remove("requestId");

        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.StartsWith("That request had no request id", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestIdIsHuge_ActsOnNothing()
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.WithRequestId(new string('r', 100_000));

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Theory]
    [InlineData("not a time")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("-1")]
    public async Task HandleAsync_WhenTheTimestampIsNonsense_ActsOnNothing(string timestamp)
    {
        var (h, confirm) = await ValidConfirmationAsync();
        confirm.StampIfUnset(h.Time.GetUtcNow());
        confirm.Request["timestamp"] = timestamp;

        h.AssertSafe(new AlexaReply(await h.Driver.SendRawAsync(confirm.Json)));
    }
}
