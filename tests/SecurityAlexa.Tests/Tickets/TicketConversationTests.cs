using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Tests.Tickets;

/// <summary>
/// Tickets through the real entry point over the sandbox: an isolation opens the incident's OpsItem, a release and
/// "open a ticket" update the same one, the id is on the card and in the chat post, and a failing desk never stops
/// or hides the action.
/// </summary>
public sealed class TicketConversationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);

    private static AlexaRequests Isolate(string instance) =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", instance), ("TagKey", null), ("TagValue", null), ("Reason", null));

    private static AlexaRequests Release(string instance) =>
        AlexaRequests.Intent("ReleaseIntent", ("InstanceName", instance), ("TagKey", null), ("TagValue", null));

    private static (SkillDriver Driver, SandboxAccount Account) Sandbox(ITicketDesk? desk = null, string tickets = "opscenter")
    {
        var account = SandboxAccount.CreateDefault(new FakeTimeProvider(Start));
        var services = account.Services();
        if (desk is not null) services = new SkillServices
        {
            Instances = services.Instances, Isolation = services.Isolation, Chat = services.Chat, State = services.State, Tickets = desk,
        };
        return (new SkillDriver(services, time: account.Clock, environment: new Dictionary<string, string> { ["TICKETS"] = tickets }), account);
    }

    [Fact]
    public async Task IsolateThenOpenATicketThenRelease_IsOneOpsItem_WithItsIdOnTheCardsAndInTheChat()
    {
        var (driver, account) = Sandbox();

        await driver.SayAsync(Isolate("web one"));
        var isolated = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));
        var item = Assert.Single(account.OpsCenter.Items);
        Assert.Equal(1, item.Severity);
        Assert.Equal(["i-0a1b2c3d4e5f60001"], item.Updates[0].InstanceIds);
        Assert.Contains("sg-", item.Updates[0].Data["originalGroups"]);
        Assert.Contains("OpsCenter ticket " + item.Id + " opened.", isolated.CardText);
        Assert.Contains("OpsCenter ticket " + item.Id + " opened.", account.Chat.Posts[^1]);
        Assert.StartsWith("Done. web-1 is isolated", isolated.Speech);

        var opened = await driver.SayAsync(AlexaRequests.Intent("OpenTicketIntent", ("InstanceName", "web one")));
        Assert.StartsWith("web-1 already had an open ticket in OpsCenter, so I updated it.", opened.Speech);
        Assert.Contains(item.Id, opened.CardText);

        await driver.SayAsync(Release("web one"));
        var released = await driver.SayAsync(Release("web one").Confirmation("CONFIRMED"));
        Assert.Contains("OpsCenter ticket " + item.Id + " updated.", released.CardText);
        Assert.Contains("OpsCenter ticket " + item.Id + " updated.", account.Chat.Posts[^1]);

        Assert.Single(account.OpsCenter.Items);
        Assert.Equal(3, item.Updates.Count);
        Assert.All(item.Updates, u => Assert.Equal(TicketDraft.Keys.Incident(["i-0a1b2c3d4e5f60001"]), u.DedupKey));

        var list = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent"));
        Assert.StartsWith("You have 1 open ticket in OpsCenter. The newest: Security incident: web-1 isolated.", list.Speech);
        Assert.Contains(item.Id, list.CardText);
    }

    [Fact]
    public async Task Isolate_WhenTheTicketDeskFails_IsolatesAnywayAndSaysTheTicketFailed()
    {
        var (driver, account) = Sandbox(new FailingDesk());

        await driver.SayAsync(Isolate("web one"));
        var isolated = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("Done. web-1 is isolated", isolated.Speech);
        Assert.Contains("I couldn't open or update the ticket in OpsCenter; the action itself is done.", isolated.Speech);
        Assert.Contains("The OpsCenter ticket could not be opened or updated.", isolated.CardText);
        Assert.True(account.World.Find("i-0a1b2c3d4e5f60001")!.TerminationProtection);
        Assert.Single(driver.LogsOf("ticket.failed"));
    }

    [Fact]
    public async Task Isolate_WhenTicketsAreOff_OpensNone()
    {
        var (driver, account) = Sandbox(tickets: "off");

        await driver.SayAsync(Isolate("web one"));
        var isolated = await driver.SayAsync(Isolate("web one").Confirmation("CONFIRMED"));
        var asked = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent"));

        Assert.StartsWith("Done. web-1 is isolated", isolated.Speech);
        Assert.DoesNotContain("OpsCenter", isolated.CardText);
        Assert.Empty(account.OpsCenter.Items);
        Assert.DoesNotContain("open ticket", asked.Speech);
    }

    [Fact]
    public async Task OpenTickets_WhenNoneAreOpen_SaysSo()
    {
        var (driver, _) = Sandbox();

        var reply = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent"));

        Assert.StartsWith("There are no open SecurityAlexa tickets in OpsCenter.", reply.Speech);
    }

    private sealed class FailingDesk : ITicketDesk
    {
        public Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken) =>
            throw new AwsContract.AwsCallException(AwsContract.AwsOperations.SsmCreateOpsItem, AwsContract.AwsFailure.AccessDenied,
                "AccessDeniedException", System.Net.HttpStatusCode.BadRequest, "denied");

        public Task<OpenTickets> ListOpenAsync(CancellationToken cancellationToken) => Task.FromResult(new OpenTickets([], false));
    }

    [Fact]
    public async Task OpenTickets_WithAVeryLongTitle_SaysItClipped_AndPutsItWholeOnTheCard()
    {
        var title = "Security incident: " + new string('w', 400);
        var (driver, _) = Sandbox(new ListingDesk(new OpenTicket("oi-0000000000d1", title, "1", null)));

        var reply = await driver.SayAsync(AlexaRequests.Intent("OpenTicketsIntent"));

        Assert.DoesNotContain(title, reply.Speech, StringComparison.Ordinal);
        Assert.Contains("The newest: " + title[..79] + "….", reply.Speech, StringComparison.Ordinal);
        Assert.Contains(title, reply.CardText, StringComparison.Ordinal);
    }

    private sealed class ListingDesk(params OpenTicket[] open) : ITicketDesk
    {
        public Task<TicketRef> OpenOrUpdateAsync(TicketDraft draft, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing is opened here");

        public Task<OpenTickets> ListOpenAsync(CancellationToken cancellationToken) => Task.FromResult(new OpenTickets(open, false));
    }
}
