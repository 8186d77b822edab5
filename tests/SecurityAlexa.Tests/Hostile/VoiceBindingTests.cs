using SecurityAlexa.Security;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>A yes counts only from the voice that heard the read-back.</summary>
public sealed class VoiceBindingTests
{
    private const string Alice = "amzn1.ask.person.ALICE", Bob = "amzn1.ask.person.BOB";

    private static Dictionary<string, string> TwoVoices(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["ALLOWED_SPEAKERS"] = IdentityHash.Of(Alice) + "," + IdentityHash.Of(Bob) };
        foreach (var (k, v) in more) env[k] = v;
        return env;
    }

    private static AlexaRequests Isolate(string? speaker, string? confirmation = null)
    {
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Speaker(speaker);
        return confirmation is null ? request : request.Confirmation(confirmation);
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherAllowedVoiceSaysYes_RefusesChangesNothingAndKeepsTheActionForTheVoiceThatHeardIt()
    {
        using var h = new HostileHarness(TwoVoices());
        var readBack = await h.Driver.SayAsync(Isolate(Alice));
        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(readBack.DirectiveTypes));

        var bobsYes = await h.Driver.SayAsync(Isolate(Bob, "CONFIRMED"));

        h.AssertSafe(bobsYes);
        Assert.StartsWith("That yes came from a different voice than the one that heard the read-back, so I haven't changed anything.", bobsYes.Speech);
        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(bobsYes.DirectiveTypes));
        Assert.Empty(h.TouchedInstances);
        Assert.Single(h.Driver.LogsOf("confirmation.other-voice"));

        var alicesYes = await h.Driver.SayAsync(Isolate(Alice, "CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated", alicesYes.Speech);
        h.AssertWeb1Isolated();
    }

    [Fact]
    public async Task HandleAsync_WhenTheYesComesFromNoRecognisedVoiceAfterARecognisedOneHeardTheReadBack_RefusesAndChangesNothing()
    {
        // Only the local runner lets an unrecognised voice reach a change at all (ALLOW_ANY_SPEAKER).
        using var h = new HostileHarness(TwoVoices(("ALLOW_ANY_SPEAKER", "true")), configure: c => c with { RequireSkillId = false });
        await h.Driver.SayAsync(Isolate(Alice));

        var reply = await h.Driver.SayAsync(Isolate(null, "CONFIRMED"));

        h.AssertSafe(reply);
        Assert.StartsWith("That yes came from a different voice than the one that heard the read-back", reply.Speech);
        Assert.Empty(h.TouchedInstances);
    }

    [Fact]
    public async Task HandleAsync_WhenTheSameVoiceSaysYes_Acts()
    {
        using var h = new HostileHarness(TwoVoices());
        await h.Driver.SayAsync(Isolate(Bob));

        var reply = await h.Driver.SayAsync(Isolate(Bob, "CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated", reply.Speech);
        h.AssertWeb1Isolated();
    }

    [Fact]
    public async Task HandleAsync_WhenAnotherAllowedVoiceSaysNo_CancelsAndNothingChanges()
    {
        using var h = new HostileHarness(TwoVoices());
        await h.Driver.SayAsync(Isolate(Alice));

        var bobsNo = await h.Driver.SayAsync(Isolate(Bob, "DENIED"));
        var alicesLateYes = await h.Driver.SayAsync(Isolate(Alice, "CONFIRMED"));

        // Stopping is always safe, so any voice may stop; the late yes finds nothing pending and reads back again.
        h.AssertSafe(bobsNo);
        h.AssertSafe(alicesLateYes);
        Assert.Contains(h.Driver.LogsOf("confirmation.invalid"), l => (string?)l["reason"] == "nothing-pending");
        Assert.Empty(h.TouchedInstances);
    }
}
