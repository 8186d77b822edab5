using SecurityAlexa.Tests.Hostile;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

public sealed class BlastRadiusTests
{
    private static readonly string[] Payments = HostileHarness.Fleet.Where(f => f.Team == "payments").Select(f => f.Id).ToArray();

    private const string CountReadBack = "Patching 5 instances, pay-1, pay-2, pay-3, pay-4 and pay-5, with their patch baselines, rebooting if needed. "
        + "To go ahead, say the number of instances this will change. To stop, say cancel.";

    private static AlexaRequests PatchPayments() => HostileHarness.Say("PatchIntent", ("TagKey", "team"), ("TagValue", "payments"));

    // The answer to patching's "which ones?": all five, which is over the count threshold.
    private static AlexaRequests AllOfThem() => PatchPayments().WithSlot("Selection", "all of them").Dialog("IN_PROGRESS");

    private static AlexaRequests SayCount(string? count) => AllOfThem().WithSlot("ConfirmCount", count);

    private static async Task<AlexaReply> ReadBackAllFiveAsync(HostileHarness h)
    {
        await h.Driver.SayAsync(PatchPayments());
        return await h.Driver.SayAsync(AllOfThem());
    }

    [Fact]
    public async Task Ask_WhenMoreInstancesThanTheThreshold_AsksForTheNumberInsteadOfAYes()
    {
        using var h = new HostileHarness();

        var reply = await ReadBackAllFiveAsync(h);

        Assert.Equal(CountReadBack, reply.Speech);
        Assert.Equal("ConfirmCount", (string?)Assert.Single(reply.Directives)!["slotToElicit"]);
        Assert.Empty(h.MutatingCalls);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("five")]
    public async Task Check_WhenTheRightNumberIsSaidBack_ActsOnExactlyTheReadBackInstances(string said)
    {
        using var h = new HostileHarness();
        await ReadBackAllFiveAsync(h);

        var reply = await h.Driver.SayAsync(SayCount(said));

        Assert.Equal("Patching has started on 5 instances: pay-1, pay-2, pay-3, pay-4 and pay-5. Ask me how the patching is going.", reply.Speech);
        Assert.Equal(Payments, h.TouchedInstances);
        var command = Assert.Single(h.Patches.Sent);
        // By id, not by tag: a tag target would also reach managed nodes EC2 never showed.
        Assert.Null(command.Targets);
        Assert.Equal(Payments.Order(), command.InstanceIds.Order());
    }

    [Theory]
    [InlineData("4")]
    [InlineData("3")]
    [InlineData("50")]
    [InlineData("all")]
    [InlineData("-5")]
    [InlineData("5000000000")]
    public async Task Check_WhenAnotherNumberIsSaid_ChangesNothingAndForgetsTheReadBack(string said)
    {
        using var h = new HostileHarness();
        await ReadBackAllFiveAsync(h);

        var reply = await h.Driver.SayAsync(SayCount(said));
        var thenFive = await h.Driver.SayAsync(SayCount("5"));

        Assert.Equal("That's not the number I read back, so I haven't patched anything.", reply.Speech);
        Assert.True(reply.EndsSession);
        Assert.DoesNotContain("Patching has started", thenFive.Speech);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task Check_WhenAPlainYesArrivesForACountConfirmation_ChangesNothing()
    {
        using var h = new HostileHarness();
        await ReadBackAllFiveAsync(h);

        var reply = await h.Driver.SayAsync(AllOfThem().Confirmation("CONFIRMED"));

        Assert.Equal("That's not the number I read back, so I haven't patched anything.", reply.Speech);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("confirmation.invalid") && l.Contains("count-missing"));
        Assert.Empty(h.MutatingCalls);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task Check_WhenIsolationHearsAnotherNumber_ReadsBackAgainAndChangesNothing(string said)
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["CONFIRM_COUNT_ABOVE"] = "1" });
        await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging"), ("ConfirmCount", said)).Dialog("IN_PROGRESS"));

        Assert.StartsWith("Isolating 2 instances: api-1 and web-3, in the VPC ending in prod.", reply.Speech);
        Assert.Equal("ConfirmCount", (string?)reply.Directive("Dialog.ElicitSlot")!["slotToElicit"]);
        Assert.Null((string?)reply.Directive("Dialog.ElicitSlot")!["updatedIntent"]!["slots"]!["ConfirmCount"]!["value"]);
        Assert.Empty(h.MutatingCalls);
    }

    [Fact]
    public async Task Ask_WhenAtTheThreshold_KeepsThePlainYesConfirmation()
    {
        using var h = new HostileHarness();

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("TagKey", "environment"), ("TagValue", "staging")));

        Assert.Equal("Dialog.ConfirmIntent", Assert.Single(reply.DirectiveTypes));
    }

    [Fact]
    public async Task Ask_WhenThresholdIsZero_AsksForTheNumberEvenForOneInstance()
    {
        using var h = new HostileHarness(new Dictionary<string, string> { ["CONFIRM_COUNT_ABOVE"] = "0" });
        await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "db-1")));

        var reply = await h.Driver.SayAsync(HostileHarness.Say("IsolateIntent", ("InstanceName", "db-1"), ("ConfirmCount", "one")).Dialog("IN_PROGRESS"));

        Assert.Equal([HostileHarness.IdOf("db-1")], h.TouchedInstances);
        Assert.StartsWith("Done.", reply.Speech);
    }

    [Fact]
    public async Task Check_WhenTheConfirmationCarriesOtherSlotsThanTheReadBack_ChangesNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "db-1", attributes));

        Assert.StartsWith("Isolating db-1, instance ending in 4f2a, in the VPC ending in prod.", reply.Speech);
        Assert.Empty(h.MutatingCalls);
        Assert.Contains(h.Driver.Log.Lines, l => l.Contains("confirmation.invalid") && l.Contains("other-slots"));
    }

    [Fact]
    public async Task Check_WhenTheReadBackHasExpired_ChangesNothing()
    {
        using var h = new HostileHarness();
        var attributes = await h.ReadBackAsync("IsolateIntent", "web-1");
        h.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));

        var reply = await h.Driver.SendAsync(HostileHarness.Confirm("IsolateIntent", "web-1", attributes));

        Assert.StartsWith("Isolating web-1", reply.Speech);
        Assert.Empty(h.MutatingCalls);
    }
}
