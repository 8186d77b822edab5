using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Requests that claim to be something they are not: another skill, no context, unknown types.</summary>
public sealed class ForgedRequestTests
{
    private static async Task<AlexaRequests> ValidConfirmationAsync(HostileHarness h)
    {
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        return HostileHarness.Confirm("IsolateIntent", "web-1", attributes);
    }

    [Fact]
    public async Task HandleAsync_WhenTheApplicationIdIsForged_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);

        var reply = await h.Driver.SendAsync(confirm.FromSkill("amzn1.ask.skill.forged"));

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I can't help with that.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenOnlyTheContextApplicationIdIsForged_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Root["context"]!["System"]!["application"]!["applicationId"] = "amzn1.ask.skill.forged";

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenContextIsMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Root.Remove("context");

        // The session still names the skill, but without context there is no recognised speaker.
        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.StartsWith("I only make changes for a recognised voice", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenContextAndSessionAreMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Root.Remove("context");
        confirm.Root.Remove("session");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheSpeakerIsOnlyClaimedInTheSession_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        ((JsonObject)confirm.Root["context"]!["System"]!).Remove("person");
        confirm.Root["session"]!["person"] = new JsonObject { ["personId"] = AlexaRequests.PersonId };

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Theory]
    [InlineData("Alexa.Presentation.APLT.UserEvent")]
    [InlineData("Connections.Response")]
    [InlineData("intentrequest")]
    [InlineData("")]
    public async Task HandleAsync_WhenTheRequestTypeIsUnknown_ActsOnNothing(string type)
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Request["type"] = type;

        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.Equal("Sorry, I can't handle that kind of request. You can ask me to scan, patch or isolate instances.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestTypeIsMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Request.Remove("type");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenACanFulfillRequestNamesAChange_AnswersWithoutActing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Request["type"] = "CanFulfillIntentRequest";

        var reply = await h.Driver.SendAsync(confirm);

        // The skill can fulfil IsolateIntent in general; answering that must not carry out the pending isolation.
        Assert.Equal("YES", (string?)reply.Response!["canFulfillIntent"]!["canFulfill"]);
        Assert.Null(reply.Response["outputSpeech"]);
        Assert.Empty(h.MutatingCalls);
        h.AssertNoException();
    }

    [Fact]
    public async Task HandleAsync_WhenTheIntentIsMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
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
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Request["intent"]!["name"] = name;

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestIdIsMissing_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.Request.Remove("requestId");

        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.StartsWith("That request had no request id", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheRequestIdIsHuge_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
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
        using var h = new HostileHarness();
        var confirm = await ValidConfirmationAsync(h);
        confirm.StampIfUnset(h.Time.GetUtcNow());
        confirm.Request["timestamp"] = timestamp;

        h.AssertSafe(new AlexaReply(await h.Driver.SendRawAsync(confirm.Json)));
    }
}
