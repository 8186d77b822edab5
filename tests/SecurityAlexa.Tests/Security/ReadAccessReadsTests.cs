using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Security;

/// <summary>
/// Issue 13 §6, READ_ACCESS=speakers, on the reads that ReadAccessTests does not cover: patch status, GuardDuty findings and
/// open tickets. A voice that may not change anything hears counts only, and no instance name or id reaches the speech, the
/// card or the screen; an allowed voice still hears them.
/// </summary>
public sealed class ReadAccessReadsTests
{
    private const string Stranger = "amzn1.ask.person.VISITOR";
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);

    // What the user hears or sees: the response (speech, card, screen). The signed session may still hold what an allowed voice
    // did earlier in the conversation; it goes back to Alexa, not to anyone.
    private static void AssertNamesNothing(AlexaReply reply, params string[] secrets)
    {
        var shown = System.Text.Json.Nodes.JsonNode.Parse(reply.Json)!["response"]!.ToJsonString();
        foreach (var secret in secrets) Assert.DoesNotContain(secret, shown, StringComparison.OrdinalIgnoreCase);
    }

    private static (SkillDriver Driver, SandboxAccount Account) Sandbox()
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(Start));
        return (new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string> { ["READ_ACCESS"] = "speakers", ["TICKETS"] = "opscenter" }), account);
    }

    private static PatchHarness PatchedProd()
    {
        var h = new PatchHarness(environment: new Dictionary<string, string> { ["READ_ACCESS"] = "speakers" });
        h.Driver.SayAsync(PatchHarness.Patch("environment", "prod")).GetAwaiter().GetResult();
        h.Driver.SayAsync(PatchHarness.Answer("environment", "prod", selection: "all of them")).GetAwaiter().GetResult();
        h.Driver.SayAsync(PatchHarness.Confirm("CONFIRMED", "environment", "prod", selection: "all of them")).GetAwaiter().GetResult();
        return h;
    }

    [Theory]
    [InlineData(Stranger)]
    [InlineData(null)]
    public async Task PatchStatus_WithSpeakersOnly_AnotherVoiceHearsCountsButNoInstance(string? voice)
    {
        var h = PatchedProd();
        h.Ssm.CommandStatusIs("cmd-1", "Failed").Invocations("cmd-1", (PatchHarness.Web1, "Success"), (PatchHarness.Web2, "Success"),
            (PatchHarness.Db1, "Failed")).PatchState(PatchHarness.Web1).PatchState(PatchHarness.Web2, pendingReboot: 1)
            .PatchState(PatchHarness.Db1, missing: 3);
        h.Time.Advance(TimeSpan.FromMinutes(10));

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent").Speaker(voice));

        Assert.Equal("Patching of 3 instances, started 10 minutes ago, has finished: 2 succeeded and 1 failed. It failed on 1 instance. "
            + "Still missing patches: 1 instance. Waiting for a reboot to finish installing: 1 instance. "
            + "Only voices allowed to make changes hear which instances. Anything else?", reply.Speech);
        AssertNamesNothing(reply, "web-1", "web-2", "db-1", PatchHarness.Web1, PatchHarness.Web2, PatchHarness.Db1);
    }

    [Fact]
    public async Task PatchStatus_WithSpeakersOnly_AnAllowedVoiceStillHearsWhich()
    {
        var h = PatchedProd();
        h.Ssm.CommandStatusIs("cmd-1", "InProgress").Invocations("cmd-1", (PatchHarness.Web1, "Success"),
            (PatchHarness.Web2, "InProgress"), (PatchHarness.Db1, "Failed"));

        var reply = await h.Driver.SayAsync(AlexaRequests.Intent("PatchStatusIntent"));

        Assert.Contains("It failed on db-1.", reply.Speech);
        Assert.Contains("db-1 (" + PatchHarness.Db1 + "): Failed", reply.CardText);
    }

    [Fact]
    public async Task GuardDutyFindings_WithSpeakersOnly_AnotherVoiceHearsTheCountsButNoInstance()
    {
        var (driver, _) = Sandbox();

        var reply = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null))
            .Speaker(Stranger));
        var allowed = await driver.SayAsync(AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null)));

        Assert.StartsWith("In the last 24 hours, GuardDuty reported ", reply.Speech);
        Assert.Contains("Only voices allowed to make changes hear which instances they are about.", reply.Speech);
        AssertNamesNothing(reply, "web-1", "web-2", "db-1", "api-1", "i-0");
        Assert.Contains("web-", allowed.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTickets_WithSpeakersOnly_AnotherVoiceHearsHowManyButNoTitle()
    {
        var (driver, account) = Sandbox();
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null),
            ("Reason", null)));
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null),
            ("Reason", null)).Confirmation("CONFIRMED"));
        Assert.Single(account.OpsCenter.Items);
        driver.EndSession();

        var reply = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent").Speaker(Stranger));
        var allowed = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent"));

        Assert.StartsWith("You have 1 open ticket in OpsCenter. Only voices allowed to make changes hear what they are about.", reply.Speech);
        AssertNamesNothing(reply, "web-1", "i-0a1b2c3d4e5f60001");
        Assert.Contains("web-1", allowed.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTicket_WithSpeakersOnly_AnotherVoiceOpensAndChangesNothingAndHearsNoName()
    {
        var (driver, account) = Sandbox();
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null),
            ("Reason", "beaconing")));
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "web one"), ("TagKey", null), ("TagValue", null),
            ("Reason", "beaconing")).Confirmation("CONFIRMED"));
        var item = Assert.Single(account.OpsCenter.Items);
        var updates = item.Updates.Count;
        driver.EndSession();

        var stranger = await driver.SayAsync(AlexaRequests.Intent("OpenTicketIntent", ("InstanceName", "web one")).Speaker(Stranger));

        Assert.StartsWith("I can only open a ticket for a voice this skill knows, so I haven't opened or changed one.", stranger.Speech);
        AssertNamesNothing(stranger, "web-1", "i-0a1b2c3d4e5f60001");
        Assert.Single(account.OpsCenter.Items);
        Assert.Equal(updates, item.Updates.Count);

        var allowed = await driver.SayAsync(AlexaRequests.Intent("OpenTicketIntent", ("InstanceName", "web one")));

        Assert.StartsWith("web-1 already had an open ticket in OpsCenter, so I updated it.", allowed.Speech);
        Assert.Equal(updates + 1, item.Updates.Count);
    }
}
