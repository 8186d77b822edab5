using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Accounts;
using SecurityAlexa.Aws;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Tests.Tickets;

/// <summary>
/// Tickets for instances in a member account or another region: the OpsItem is the home account's (its OpsCenter, through
/// the home SSM client), and its related resources are the instances' own ARNs, in their account, region and partition.
/// </summary>
public sealed class TicketScopeTests
{
    private const string PayEu1 = "i-0d8c7b6a5f4e30001";

    // The sandbox's accounts and regions, with the home account's OpsCenter behind the real adapter over a recording SSM.
    private static (SkillDriver Driver, List<CreateOpsItemRequest> Created, Mock<IAmazonSimpleSystemsManagement> Ssm) Multi()
    {
        var ssm = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        ssm.Setup(s => s.DescribeOpsItemsAsync(It.IsAny<DescribeOpsItemsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeOpsItemsResponse());
        var created = new List<CreateOpsItemRequest>();
        ssm.Setup(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateOpsItemRequest, CancellationToken>((r, _) => created.Add(r))
            .ReturnsAsync(new CreateOpsItemResponse { OpsItemId = "oi-0000000000c1" });
        var desk = new SsmOpsCenter(() => ssm.Object, SandboxWorld.Region, SandboxWorld.AccountId);
        var home = SandboxAccount.CreateDefault(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var sandbox = home.Scoped();
        ScopedServices scoped = (scope, speaker) => sandbox(scope, speaker) with { Tickets = desk };
        var environment = new Dictionary<string, string>(SandboxWorld.ScopesEnvironment)
        {
            ["FUNCTION_ACCOUNT_ID"] = SandboxWorld.AccountId,
            ["AWS_REGION"] = SandboxWorld.Region,
        };
        return (new SkillDriver(home.Services() with { Tickets = desk }, environment: environment, scoped: scoped), created, ssm);
    }

    private static AlexaRequests OpenTicket(string instance, string account, string? region = null)
    {
        var request = AlexaRequests.Intent("OpenTicketIntent", ("InstanceName", instance), ("Account", account), ("Region", region));
        return region is null ? request : request.Resolved("Region", region, SandboxWorld.SecondRegion);
    }

    [Fact]
    public async Task OpenATicket_ForAPaymentsInstanceInIreland_RelatesItsOwnArn_InTheHomeOpsCenter_AndSaysWhereTheTicketIs()
    {
        var (driver, created, ssm) = Multi();

        var reply = await driver.SayAsync(OpenTicket("pay eu one", "payments", "ireland"));

        Assert.StartsWith("I opened a ticket in OpsCenter for pay-eu-1.", reply.Speech, StringComparison.Ordinal);
        var sent = Assert.Single(created);
        // The instance is the payments account's, in Ireland: its ARN says so, not the home account's and region's.
        Assert.Equal("[{\"arn\":\"arn:aws:ec2:eu-west-1:444455556666:instance/" + PayEu1 + "\"}]", sent.OperationalData["/aws/resources"].Value);
        Assert.Equal("444455556666", sent.OperationalData["SecurityAlexa:account"].Value);
        Assert.Equal("eu-west-1", sent.OperationalData["SecurityAlexa:region"].Value);
        // Its key names the scope, so the same ids or tag group elsewhere are another incident; it stays within its bound.
        var key = sent.OperationalData[SsmOpsCenter.IncidentKey].Value;
        Assert.Equal(TicketDraft.Keys.Within(new TicketScope("444455556666", "eu-west-1", "aws", true), TicketDraft.Keys.Incident([PayEu1])), key);
        Assert.NotEqual(TicketDraft.Keys.Incident([PayEu1]), key);
        Assert.InRange(key.Length, 1, TicketDraft.Keys.MaxLength);
        // The OpsItem is made by the home account's SSM client (the only desk), and the card says where to look for it.
        ssm.Verify(s => s.CreateOpsItemAsync(It.IsAny<CreateOpsItemRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains("OpsCenter ticket oi-0000000000c1 opened, in the OpsCenter of the skill's own account.", reply.CardText,
            StringComparison.Ordinal);
        Assert.StartsWith("Account: payments (444455556666). Region: Ireland (eu-west-1).", reply.CardText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenATicket_AtHome_WithMemberAccounts_KeepsTheHomeArnAndKey_AndTheUsualLine()
    {
        var (driver, created, _) = Multi();

        var reply = await driver.SayAsync(OpenTicket("web one", "home"));

        var sent = Assert.Single(created);
        Assert.Equal("[{\"arn\":\"arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001\"}]",
            sent.OperationalData["/aws/resources"].Value);
        Assert.Equal(TicketDraft.Keys.Incident(["i-0a1b2c3d4e5f60001"]), sent.OperationalData[SsmOpsCenter.IncidentKey].Value);
        Assert.Contains("OpsCenter ticket oi-0000000000c1 opened.", reply.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain("skill's own account", reply.CardText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("eu-west-1", "aws")]
    public void TheScopeOfAMemberSet_TakesItsPartitionFromItsRegion(string region, string partition)
    {
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string>
        {
            ["FUNCTION_ACCOUNT_ID"] = "111122223333", ["AWS_REGION"] = "us-east-1",
        }, requireSkillId: false);

        var scope = SkillModules.TicketScopeOf(new AccountScope("payments", "444455556666", region, false), config);

        Assert.Equal(new TicketScope("444455556666", region, partition, true), scope);
        Assert.Equal("arn:" + partition + ":ec2:" + region + ":444455556666:instance/i-1", scope!.InstanceArn("i-1"));
        Assert.False(SkillModules.TicketScopeOf(new AccountScope("home", "111122223333", "us-east-1", true), config)!.Away);
        Assert.True(SkillModules.TicketScopeOf(new AccountScope("home", "111122223333", "eu-west-1", true), config)!.Away);
    }
}
