using System.Text.Json.Nodes;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Yeses that do not belong to what was read back.</summary>
public sealed class ConfirmationAbuseTests
{
    [Fact]
    public async Task HandleAsync_WhenABareYesArrivesWithNothingPending_ActsOnNothing()
    {
        var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say("AMAZON.YesIntent"));

        h.AssertSafe(reply);
        Assert.StartsWith("There's nothing waiting for a yes", reply.Speech);
    }

    [Theory]
    [InlineData("PatchIntent")]
    [InlineData("IsolateIntent")]
    [InlineData("ReleaseIntent")]
    [InlineData("ScanIntent")]
    [InlineData("EnableScanningIntent")]
    public async Task HandleAsync_WhenAConfirmedIntentArrivesWithNothingPending_ActsOnNothing(string intent)
    {
        var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent, ("InstanceName", "web-1")).Confirmation("CONFIRMED").InSession(null));

        h.AssertSafe(reply);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("nothing-pending"));
    }

    [Fact]
    public async Task HandleAsync_WhenABareYesFollowsAReadBack_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        // The pending action is carried out only through its own confirmed intent.
        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Say("AMAZON.YesIntent").InSession(attributes)));
    }

    [Theory]
    [InlineData("IsolateIntent", "ReleaseIntent")]
    [InlineData("IsolateIntent", "PatchIntent")]
    [InlineData("PatchIntent", "IsolateIntent")]
    [InlineData("ReleaseIntent", "IsolateIntent")]
    [InlineData("PatchIntent", "ScanIntent")]
    public async Task HandleAsync_WhenTheConfirmationIsForAnotherAction_ActsOnNothing(string readBack, string confirmed)
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync(readBack, "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm(confirmed, "web-1", attributes));

        h.AssertSafe(reply);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("confirmation.invalid") && (l.Contains("other-kind") || l.Contains("other-intent")));
    }

    [Fact]
    public async Task HandleAsync_WhenTheConfirmationNamesAnotherInstance_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "db-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenTheConfirmationAddsATag_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).WithSlot("TagKey", "environment").WithSlot("TagValue", "prod");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheUserSaysNo_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("PatchIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")).Confirmation("DENIED").InSession(attributes));

        h.AssertSafe(reply);
        Assert.Equal("OK, I won't patch anything.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheReadBackExpired_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ReleaseIntent", "web-1");
        h.Time.Advance(TimeSpan.FromMinutes(10));

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("ReleaseIntent", "web-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenAConfirmedIntentCarriesTheCountButNoCountWasAsked_ActsOnNothingExtra()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        // A count is not a confirmation when a yes was asked for; the intent is not CONFIRMED.
        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("ConfirmCount", "1")).InSession(attributes));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenAConfirmationFromAnotherSessionIsReplayed_ActsOnNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var confirm = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED")
            .InSession(attributes, sessionId: "amzn1.echo-api.session.another");

        var reply = await h.Driver.SendAsync(confirm);

        h.AssertSafe(reply);
        Assert.StartsWith("I couldn't trust what this conversation remembered", reply.Speech);
    }

    [Fact]
    public async Task Control_TheMatchingConfirmationActs()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ReleaseIntent", "web-1");

        await h.Driver.SendAsync(HostileHarness.Confirm("ReleaseIntent", "web-1", attributes));

        Assert.Single(h.MutatingCalls);
    }

    [Fact]
    public async Task HandleAsync_WhenAttributesAreNotAnObject_ActsOnNothing()
    {
        var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED");
        request.Root["session"]!["attributes"] = new JsonArray(1, 2, 3);

        h.AssertSafe(await h.Driver.SendAsync(request));
    }
}
