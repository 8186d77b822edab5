using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class SpeakerAuthorisationTests
{
    private const string Stranger = "amzn1.ask.person.STRANGER";

    public static TheoryData<string> ChangeIntents => new() { "PatchIntent", "IsolateIntent", "ReleaseIntent", "ScanIntent", "EnableScanningIntent" };

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public async Task HandleAsync_WhenSpeakerIsNotAllowed_RefusesBeforeAnyAwsCall(string intent)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent, ("InstanceName", "web-1")).Speaker(Stranger));

        Assert.Equal("Sorry, your voice isn't on the list of people who can make changes, so I did nothing. You can still ask about scans and status.", reply.Speech);
        Assert.Contains(IdentityHash.Of(Stranger)!, reply.CardText);
        Assert.Empty(h.Ec2.Invocations);
        Assert.Empty(h.Ssm.Mock.Invocations);
        Assert.Empty(h.Http.Calls);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("\"level\":\"SECURITY\"") && l.Contains("speaker.refused"));
    }

    [Theory]
    [InlineData("PatchIntent")]
    [InlineData("IsolateIntent")]
    [InlineData("ReleaseIntent")]
    public async Task HandleAsync_WhenStrangerSaysYesToAnAllowedSpeakersReadBack_ChangesNothing(string intent)
    {
        using var h = new HostileHarness();
        var subject = HostileHarness.SubjectFor(intent);
        var attributes = await h.ReadBackAsync(intent, subject);

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm(intent, subject, attributes).Speaker(Stranger));

        Assert.StartsWith("Sorry, your voice isn't on the list", reply.Speech);
        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenNoSpeakerIsRecognised_ExplainsVoiceProfilesAndDoesNothing()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Speaker(null));

        Assert.StartsWith("I only make changes for a recognised voice", reply.Speech);
        Assert.Contains("voice profile", reply.Speech);
        Assert.Contains("Personalize skills", reply.CardText);
        Assert.True(reply.EndsSession);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenNoAllowListIsConfigured_FailsClosedAndShowsTheVoiceId()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_SPEAKERS"] = "" });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")));

        Assert.StartsWith("No one is allowed to make changes yet", reply.Speech);
        Assert.Contains(IdentityHash.Of(AlexaRequests.PersonId)!, reply.CardText);
        Assert.Empty(h.Ec2.Invocations);
    }

    [Fact]
    public async Task HandleAsync_WhenAllowListUsesASalt_MatchesTheSaltedHashOnly()
    {
        var salted = IdentityHash.Of(AlexaRequests.PersonId, "pepper")!;
        using var h = new HostileHarness(new Dictionary<string, string> { ["ID_HASH_SALT"] = "pepper", ["ALLOWED_SPEAKERS"] = "0000, " + salted.ToUpperInvariant() });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")));

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task HandleAsync_WhenAllowAnySpeakerIsSetInLambda_IgnoresIt()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOW_ANY_SPEAKER"] = "true" });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Speaker(Stranger));

        Assert.StartsWith("Sorry, your voice isn't on the list", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenAllowAnySpeakerIsSetInTheLocalRunner_LetsAnySpeakerReachTheReadBack()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOW_ANY_SPEAKER"] = "true" }, configure: c => c with { RequireSkillId = false });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Speaker(null));

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Theory]
    [InlineData("AMAZON.HelpIntent")]
    [InlineData("ScanResultsIntent")]
    [InlineData("IsolationStatusIntent")]
    public async Task HandleAsync_WhenStrangerAsksSomethingReadOnly_ReachesTheHandler(string intent)
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent).Speaker(Stranger));

        var outcome = (string?)Assert.Single(h.Driver.LogsOf("invocation"))["outcome"];
        Assert.False(outcome?.StartsWith("refused", StringComparison.Ordinal), $"{intent} was refused: {reply.Speech}");
        Assert.DoesNotContain("voice", reply.Speech, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HandleAsync_WhenAllowedUsersIsSetAndAccountIsNotOnIt_RefusesEvenReadOnlyRequests()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of("amzn1.ask.account.OTHER")! });

        var help = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.HelpIntent"));
        var launch = await h.Driver.SendAsync(AlexaRequests.Launch());
        var ended = await h.Driver.SendAsync(AlexaRequests.SessionEnded());

        Assert.Equal("Sorry, this skill isn't set up for your Amazon account, so I can't help with that.", help.Speech);
        Assert.Equal(help.Speech, launch.Speech);
        Assert.True(ended.IsEmpty);
    }

    [Fact]
    public async Task HandleAsync_WhenAllowedUsersIncludesTheAccount_ServesIt()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["ALLOWED_USERS"] = IdentityHash.Of(AlexaRequests.UserId)! });

        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")));

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task HandleAsync_WhenAllowedSpeakerConfirms_ActsExactlyOnTheReadBackInstance()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));

        Assert.Equal("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group, and termination protection is on. Anything else?", reply.Speech);
        h.AssertWeb1Isolated();
    }

    [Theory]
    [MemberData(nameof(ChangeIntents))]
    public void ChangeIntent_IsHandledByTheConfirmThenActShape_SoItCannotForgetToBeGuarded(string intent)
    {
        // Whether an intent changes anything is declared once, by deriving from ConfirmedIntentHandler (Mutates is sealed there).
        var handler = Assert.Single(SecurityAlexa.Tests.Shipping.PendingCapabilities.Handlers(), h => h.Intents.Contains(intent));

        Assert.IsAssignableFrom<ConfirmedIntentHandler>(handler);
        Assert.True(handler.Mutates);
    }
}
