using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Blocking;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Blocking;

/// <summary>
/// "Who is hitting web-1", "block the top one", "unblock …" through the real entry point over the sandbox account:
/// what is said, what changes in the network ACL and the state table, and what does not.
/// </summary>
public sealed class BlockConversationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);
    private const string Acl = SandboxNetworkAcls.ProdAcl;

    private static (SkillDriver Driver, SandboxAccount Account, FakeTimeProvider Time) Sandbox(Dictionary<string, string>? env = null)
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        var environment = new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" };
        foreach (var (k, v) in env ?? []) environment[k] = v;
        return (new SkillDriver(account.Services(), time: account.Clock, environment: environment), account, time);
    }

    private static AlexaRequests Block(string? address, string? instance = null) =>
        AlexaRequests.Intent("BlockAddressIntent", ("Address", address), ("InstanceName", instance));

    private static AlexaRequests Unblock(string? address, string? instance = null) =>
        AlexaRequests.Intent("UnblockAddressIntent", ("Address", address), ("InstanceName", instance));

    private static List<AclEntry> Denies(SandboxAccount account) =>
        account.NetworkAcls.Entries(Acl).Where(e => e.Deny && e.RuleNumber < 32767).ToList();

    private static async Task<AlexaReply> AskWhoIsHittingAsync(SkillDriver driver, FakeTimeProvider time)
    {
        var running = await driver.SayAsync(AlexaRequests.Intent("WhoIsHittingIntent", ("InstanceName", "web one")));
        Assert.StartsWith("I'm still counting the traffic to web-1", running.Speech);
        time.Advance(TimeSpan.FromSeconds(2));
        return await driver.SayAsync(AlexaRequests.Intent("WhoIsHittingIntent", ("InstanceName", null)));
    }

    [Fact]
    public async Task WhoIsHitting_ThenBlockTheTopOne_ThenUnblock_AddsBothDenyEntriesAndRemovesExactlyThem()
    {
        var (driver, account, time) = Sandbox();

        var counted = await AskWhoIsHittingAsync(driver, time);
        Assert.StartsWith("In the last hour, the busiest sources reaching web-1 were: 203.0.113.5, 74 accepted and 824 rejected, "
            + "198.51.100.23, 0 accepted and 192 rejected and 192.0.2.44, 36 accepted and 6 rejected.", counted.Speech);
        Assert.Contains("203.0.113.5: 74 accepted, 824 rejected", counted.CardText);

        var readBack = await driver.SayAsync(Block("the top one"));
        Assert.StartsWith("Blocking 203.0.113.5 in the network ACL of subnet subnet-0prod1: no traffic in from it and none out to it. "
            + "That affects every instance in the subnet: api-1, db-1, web-1, web-2 and web-3.", readBack.Speech);
        Assert.Empty(Denies(account));

        var done = await driver.SayAsync(Block("the top one").Confirmation("CONFIRMED"));
        Assert.StartsWith("Done. 203.0.113.5 is blocked in the network ACL of subnet-0prod1, in and out.", done.Speech);
        Assert.Equal([new AclEntry(1, false, true, "203.0.113.5/32"), new AclEntry(1, true, true, "203.0.113.5/32")],
            Denies(account).OrderBy(e => e.Egress).ToList());
        var record = Assert.Single(account.State.Items, i => i.Key == BlockLedger.Key(Acl));
        Assert.Equal("203.0.113.5/32", record.Text("rule#1"));
        Assert.Equal("subnet-0prod1", record.Text("subnet"));

        var unblockReadBack = await driver.SayAsync(Unblock("two oh three dot zero dot one one three dot five"));
        Assert.StartsWith("Removing my block of 203.0.113.5 from the network ACL of subnet subnet-0prod1", unblockReadBack.Speech);
        Assert.Equal(2, Denies(account).Count);

        var unblocked = await driver.SayAsync(Unblock("two oh three dot zero dot one one three dot five").Confirmation("CONFIRMED"));
        Assert.StartsWith("Done. 203.0.113.5 is no longer blocked in the network ACL of subnet-0prod1.", unblocked.Speech);
        Assert.Empty(Denies(account));
        Assert.Null(account.State.Items.Single(i => i.Key == BlockLedger.Key(Acl)).Text("rule#1"));
        Assert.Equal(4, account.NetworkAcls.Entries(Acl).Count);
    }

    [Theory]
    // Private addresses are never spoken (Security/Discretion), so the refusal names it so.
    [InlineData("ten dot zero dot one dot five", "a private address is inside the VPC's own address ranges.")]
    [InlineData("10.0.9.0/24", "a private address is inside the VPC's own address ranges.")]
    [InlineData("2600:1f18:4a3:6d00::7", "2600:1f18:4a3:6d00::7 is inside the VPC's own address ranges.")]
    [InlineData("0.0.0.0/0", "That range is every address there is.")]
    [InlineData("zero dot zero dot zero dot zero slash zero", "That range is every address there is.")]
    [InlineData("203.0.112.0/23", "203.0.112.0/23 is too wide. I block at most a slash 24 for IPv4 or a slash 48 for IPv6.")]
    [InlineData("2001:db8::/32", "2001:db8::/32 is too wide.")]
    [InlineData("two oh three dot zero dot one one three", "I didn't hear a valid IP address or range in two oh three dot zero dot one one three")]
    [InlineData("three hundred dot one dot two dot three", "I didn't hear a valid IP address or range")]
    [InlineData("web one", "I didn't hear a valid IP address or range in web one")]
    public async Task Block_WhenTheAddressMayNotBeBlocked_RefusesClearlyAndChangesNothing(string address, string expected)
    {
        var (driver, account, _) = Sandbox();

        var reply = await driver.SayAsync(Block(address, "web one"));
        var confirmed = await driver.SayAsync(Block(address, "web one").Confirmation("CONFIRMED"));

        Assert.Contains(expected, reply.Speech);
        Assert.Contains("changed nothing", reply.Speech);
        Assert.DoesNotContain("Done.", confirmed.Speech);
        Assert.Empty(Denies(account));
        Assert.DoesNotContain(account.State.Items, i => i.Key.StartsWith("block#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Block_WhenTheAclAlreadyHoldsTheMostBlocks_RefusesTheNextAndChangesNothing()
    {
        var (driver, account, _) = Sandbox(new() { ["BLOCK_MAX_PER_ACL"] = "1" });
        await driver.SayAsync(Block("203.0.113.5", "web one"));
        await driver.SayAsync(Block("203.0.113.5", "web one").Confirmation("CONFIRMED"));
        Assert.Equal(2, Denies(account).Count);

        var refused = await driver.SayAsync(Block("198.51.100.23", "web one"));
        await driver.SayAsync(Block("198.51.100.23", "web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("The network ACL of subnet-0prod1 already holds 1 of my blocks, the most I add to one ACL.", refused.Speech);
        Assert.Equal(2, Denies(account).Count);
        Assert.All(Denies(account), e => Assert.Equal("203.0.113.5/32", e.Cidr));
    }

    [Fact]
    public async Task Block_WhenNumbersOfTheReservedRangeAreTaken_UsesTheLowestFreeOneAndNeverCollides()
    {
        var (driver, account, _) = Sandbox();
        // Someone else's entries: 1 inbound, 2 outbound.
        await account.NetworkAcls.AddDenyAsync(Acl, 1, false, "192.0.2.1/32", CancellationToken.None);
        await account.NetworkAcls.AddDenyAsync(Acl, 2, true, "192.0.2.2/32", CancellationToken.None);

        await driver.SayAsync(Block("198.51.100.0/24", "web one"));
        await driver.SayAsync(Block("198.51.100.0/24", "web one").Confirmation("CONFIRMED"));

        Assert.Equal(2, Denies(account).Count(e => e.RuleNumber == 3 && e.Cidr == "198.51.100.0/24"));
        Assert.Single(Denies(account), e => e.RuleNumber == 1);
        Assert.Single(Denies(account), e => e.RuleNumber == 2);
    }

    [Fact]
    public async Task Unblock_WhenSomeoneReplacedTheSkillsEntry_LeavesTheirsAndRemovesOnlyTheSkills()
    {
        var (driver, account, _) = Sandbox();
        await driver.SayAsync(Block("203.0.113.5", "web one"));
        await driver.SayAsync(Block("203.0.113.5", "web one").Confirmation("CONFIRMED"));
        await account.NetworkAcls.RemoveAsync(Acl, 1, true, CancellationToken.None);
        await account.NetworkAcls.AddDenyAsync(Acl, 1, true, "192.0.2.99/32", CancellationToken.None);

        await driver.SayAsync(Unblock("203.0.113.5", "web one"));
        var done = await driver.SayAsync(Unblock("203.0.113.5", "web one").Confirmation("CONFIRMED"));

        Assert.Contains("changed by someone else, so I left it alone", done.Speech);
        Assert.Equal([new AclEntry(1, true, true, "192.0.2.99/32")], Denies(account));
    }

    [Fact]
    public async Task Unblock_WhenTheSkillNeverBlockedTheAddress_ChangesNothing()
    {
        var (driver, account, _) = Sandbox();
        await account.NetworkAcls.AddDenyAsync(Acl, 5, false, "203.0.113.5/32", CancellationToken.None);

        var reply = await driver.SayAsync(Unblock("203.0.113.5", "web one"));
        await driver.SayAsync(Unblock("203.0.113.5", "web one").Confirmation("CONFIRMED"));

        Assert.StartsWith("I haven't blocked 203.0.113.5 in the network ACL of subnet-0prod1", reply.Speech);
        Assert.Single(Denies(account));
    }

    [Fact]
    public async Task Block_WhenNoInstanceIsKnown_AsksForOneAndChangesNothing()
    {
        var (driver, account, _) = Sandbox();

        var reply = await driver.SayAsync(Block("203.0.113.5"));

        Assert.StartsWith("Which instance's subnet do you mean?", reply.Speech);
        Assert.Empty(Denies(account));
    }

    [Fact]
    public async Task BlockTheTopOne_WhenNobodyAskedWhoIsHitting_SaysSoAndChangesNothing()
    {
        var (driver, account, _) = Sandbox();

        var reply = await driver.SayAsync(Block("the top one", "web one"));

        Assert.StartsWith("I have no list of sources to take the top one from.", reply.Speech);
        Assert.Empty(Denies(account));
    }

    [Fact]
    public async Task Block_WhenDeclined_ChangesNothing()
    {
        var (driver, account, _) = Sandbox();
        await driver.SayAsync(Block("203.0.113.5", "web one"));

        var reply = await driver.SayAsync(Block("203.0.113.5", "web one").Confirmation("DENIED"));

        Assert.StartsWith("OK, I won't block anything.", reply.Speech);
        Assert.Empty(Denies(account));
    }

    [Fact]
    public async Task WhoIsHitting_AfterTheTopOneIsBlocked_ShowsNoMoreAcceptedRecordsFromIt()
    {
        var (driver, account, time) = Sandbox();
        await AskWhoIsHittingAsync(driver, time);
        await driver.SayAsync(Block("the top one"));
        await driver.SayAsync(Block("the top one").Confirmation("CONFIRMED"));

        var again = await AskWhoIsHittingAsync(driver, time);

        Assert.Contains("203.0.113.5, 0 accepted and 824 rejected", again.Speech);
        Assert.Equal(2, Denies(account).Count);
    }
}
