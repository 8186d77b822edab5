using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>Yeses that do not belong to what was read back.</summary>
public sealed class ConfirmationAbuseTests
{
    [Fact]
    public async Task HandleAsync_WhenABareYesArrivesWithNothingPending_ActsOnNothing()
    {
        using var h = new HostileHarness();

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
        using var h = new HostileHarness();

        var reply = await h.Driver.SendAsync(HostileHarness.Say(intent, ("InstanceName", "web-1")).Confirmation("CONFIRMED").InSession(null));

        h.AssertSafe(reply);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("nothing-pending"));
    }

    [Fact]
    public async Task HandleAsync_WhenABareYesFollowsAReadBack_ActsOnNothing()
    {
        using var h = new HostileHarness();
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
        using var h = new HostileHarness();
        var subject = HostileHarness.SubjectFor(readBack);
        var attributes = await h.ReadBackAsync(readBack, subject);

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm(confirmed, subject, attributes));

        h.AssertSafe(reply);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("confirmation.invalid") && (l.Contains("other-kind") || l.Contains("other-intent")));
    }

    [Fact]
    public async Task HandleAsync_WhenTheConfirmationNamesAnotherInstance_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "db-1", attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenTheConfirmationAddsATag_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var confirm = HostileHarness.Confirm("IsolateIntent", "web-1", attributes).WithSlot("TagKey", "environment").WithSlot("TagValue", "prod");

        h.AssertSafe(await h.Driver.SendAsync(confirm));
    }

    [Fact]
    public async Task HandleAsync_WhenTheUserSaysNo_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("PatchIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Say("PatchIntent", ("InstanceName", "web-1")).Confirmation("DENIED").InSession(attributes));

        h.AssertSafe(reply);
        Assert.Equal("OK, I won't patch anything. Nothing was changed.", reply.Speech);
    }

    [Fact]
    public async Task HandleAsync_WhenTheReadBackExpired_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ReleaseIntent", HostileHarness.Isolated);
        h.Time.Advance(TimeSpan.FromMinutes(10));

        h.AssertSafe(await h.Driver.SendAsync(HostileHarness.Confirm("ReleaseIntent", HostileHarness.Isolated, attributes)));
    }

    [Fact]
    public async Task HandleAsync_WhenAConfirmedIntentCarriesTheCountButNoCountWasAsked_ActsOnNothingExtra()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        // A count is not a confirmation when a yes was asked for; the intent is not CONFIRMED.
        var reply = await h.Driver.SendAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1"), ("ConfirmCount", "1")).InSession(attributes));

        h.AssertSafe(reply);
    }

    [Fact]
    public async Task HandleAsync_WhenAConfirmationFromAnotherSessionIsReplayed_ActsOnNothing()
    {
        using var h = new HostileHarness();
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
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("ReleaseIntent", HostileHarness.Isolated);

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("ReleaseIntent", HostileHarness.Isolated, attributes));

        Assert.StartsWith("Done. web-2 is released", reply.Speech);
        var eni = h.InterfacesOf(HostileHarness.Isolated).Single();
        var restore = Assert.Single(h.Changes<ModifyNetworkInterfaceAttributeRequest>());
        Assert.Equal(eni, restore.NetworkInterfaceId);
        Assert.Equal(HostileHarness.IsolatedOriginals, restore.Groups);
        Assert.Equal(HostileHarness.IsolatedOriginals, h.Net.Interfaces[eni].Groups);
    }

    // The suite can bite: with the same harness, each change's own read-back and yes reaches the call that changes AWS.
    [Theory]
    [InlineData("IsolateIntent", "ec2:ModifyNetworkInterfaceAttribute")]
    [InlineData("ReleaseIntent", "ec2:ModifyNetworkInterfaceAttribute")]
    [InlineData("PatchIntent", "ssm:SendCommand")]
    [InlineData("ScanIntent", "inspector2:CreateCisScanConfiguration")]
    [InlineData("EnableScanningIntent", "inspector2:Enable")]
    public async Task Control_EachChangeReachesItsMutatingCallOnlyAfterItsOwnYes(string intent, string operation)
    {
        using var h = new HostileHarness();
        var subject = HostileHarness.SubjectFor(intent);
        var attributes = await h.ReadBackAsync(intent, subject);
        Assert.Empty(h.MutatingCalls);

        await h.Driver.SendAsync(HostileHarness.Confirm(intent, subject, attributes));

        var called = h.Ec2.Invocations.Concat(h.Ssm.Mock.Invocations).Select(i => Operation(i.Method.Name))
            .Concat(h.Http.Calls.Select(c => c.Operation));
        Assert.Contains(operation, called);
        Assert.Contains(h.MutatingCalls, c => c.Contains(operation.Split(':')[1], StringComparison.Ordinal));
        h.AssertNoException();
    }

    private static string Operation(string method) =>
        (method.StartsWith("Send", StringComparison.Ordinal) ? "ssm:" : "ec2:") + method[..^"Async".Length];

    [Fact]
    public async Task HandleAsync_WhenScanningIsOnAndAScanIsConfirmedWithNothingPending_CreatesNothing()
    {
        // A scan is created only after a yes to its own read-back (docs/scanning.md): a forged yes creates nothing,
        // even with Inspector on, and turns nothing on.
        using var h = new HostileHarness(ec2Scanning: "ENABLED");

        var reply = await h.Driver.SendAsync(HostileHarness.Say("ScanIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED").InSession(null));

        HostileHarness.AssertWellFormedWithSpeech(reply);
        Assert.Empty(h.Http.MutatingCalls);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("nothing-pending"));
        Assert.DoesNotContain(h.Ec2.Invocations, i => !i.Method.Name.StartsWith("Describe", StringComparison.Ordinal));
        h.AssertNoException();
    }

    [Fact]
    public async Task HandleAsync_WhenAttributesAreNotAnObject_ActsOnNothing()
    {
        using var h = new HostileHarness();
        var request = HostileHarness.Say("IsolateIntent", ("InstanceName", "web-1")).Confirmation("CONFIRMED");
        request.Root["session"]!["attributes"] = new JsonArray(1, 2, 3);

        h.AssertSafe(await h.Driver.SendAsync(request));
    }
}
