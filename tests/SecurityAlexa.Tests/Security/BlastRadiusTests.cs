using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class BlastRadiusTests
{
    private static readonly string[] Payments = HostileHarness.Fleet.Where(f => f.Team == "payments").Select(f => f.Id).ToArray();

    private static AlexaRequests PatchPayments() => HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"));

    private static AlexaRequests SayCount(string? count) =>
        PatchPayments().WithSlot("ConfirmCount", count).Dialog("IN_PROGRESS");

    [Fact]
    public async Task Ask_WhenMoreInstancesThanTheThreshold_AsksForTheNumberInsteadOfAYes()
    {
        var h = new HostileHarness();

        var reply = await h.Driver.SayAsync(PatchPayments());

        Assert.Equal("I'm about to patch 5 instances: pay-1, pay-2, pay-3, pay-4, pay-5. Shall I go ahead? "
            + "To go ahead, say the number of instances this will change. To stop, say cancel.", reply.Speech);
        Assert.Equal("ConfirmCount", (string?)Assert.Single(reply.Directives)!["slotToElicit"]);
        Assert.Empty(h.MutatingCalls);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("five")]
    public async Task Check_WhenTheRightNumberIsSaidBack_ActsOnExactlyTheReadBackInstances(string said)
    {
        var h = new HostileHarness();
        await h.Driver.SayAsync(PatchPayments());

        var reply = await h.Driver.SayAsync(SayCount(said));

        Assert.Equal("Done. I ran patch on 5 instances.", reply.Speech);
        Assert.Equal(Payments, h.TouchedInstances);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("3")]
    [InlineData("50")]
    [InlineData("all")]
    [InlineData("-5")]
    [InlineData("5000000000")]
    public async Task Check_WhenAnotherNumberIsSaid_ReadsBackAgainAndChangesNothing(string said)
    {
        var h = new HostileHarness();
        await h.Driver.SayAsync(PatchPayments());

        var reply = await h.Driver.SayAsync(SayCount(said));

        Assert.StartsWith("I'm about to patch 5 instances", reply.Speech);
        Assert.Equal("ConfirmCount", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Null((string?)reply.Directive("Dialog.ElicitSlot")!["updatedIntent"]!["slots"]!["ConfirmCount"]!["value"]);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task Check_WhenAPlainYesArrivesForACountConfirmation_ChangesNothing()
    {
        var h = new HostileHarness();
        await h.Driver.SayAsync(PatchPayments());

        var reply = await h.Driver.SayAsync(PatchPayments().Confirmation("CONFIRMED"));

        Assert.StartsWith("I'm about to patch 5 instances", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task Ask_WhenAtTheThreshold_KeepsThePlainYesConfirmation()
    {
        var h = new HostileHarness();

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")));

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task Ask_WhenThresholdIsZero_AsksForTheNumberEvenForOneInstance()
    {
        var h = new HostileHarness(new Dictionary<string, string> { ["CONFIRM_COUNT_ABOVE"] = "0" });
        await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "db-1")));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "db-1"), ("ConfirmCount", "one")).Dialog("IN_PROGRESS"));

        Assert.Equal([HostileHarness.IdOf("db-1")], h.TouchedInstances);
        Assert.StartsWith("Done.", reply.Speech);
    }

    [Fact]
    public async Task Check_WhenTheConfirmationCarriesOtherSlotsThanTheReadBack_ChangesNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "db-1", attributes));

        Assert.StartsWith("I'm about to isolate 1 instances: db-1.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("confirmation.invalid") && l.Contains("other-slots"));
    }

    [Fact]
    public async Task Check_WhenTheReadBackHasExpired_ChangesNothing()
    {
        var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        h.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));

        Assert.StartsWith("I'm about to isolate", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }
}
