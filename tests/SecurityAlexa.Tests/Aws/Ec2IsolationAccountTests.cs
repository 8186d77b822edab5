using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation;

namespace SecurityAlexa.Tests.Aws;

/// <summary>
/// The isolation adapter reports what EC2 said, typed, and decides nothing: terminated instances come back with their state,
/// and a rule already there or already gone comes back as such; every other error still throws, classified.
/// </summary>
public sealed class Ec2IsolationAccountTests
{
    private const string Group = "sg-0iso0000000000001";

    private readonly Mock<IAmazonEC2> _ec2 = new(MockBehavior.Strict);

    private Ec2IsolationAccount Account => new(_ec2.Object);

    private static AmazonEC2Exception Error(string code, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new("EC2 said " + code) { ErrorCode = code, StatusCode = status };

    private static Instance Instance(string id, InstanceStateName state) => new()
    {
        InstanceId = id,
        VpcId = "vpc-0a11prod",
        State = new InstanceState { Name = state },
        Tags = [new Tag("Name", id[^4..])],
    };

    private void Describe(params Instance[] instances)
    {
        _ec2.Setup(e => e.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeInstancesResponse { Reservations = [new Reservation { Instances = [.. instances] }] });
        // SDK v4: no interfaces is null, not empty.
        _ec2.Setup(e => e.DescribeNetworkInterfacesAsync(It.IsAny<DescribeNetworkInterfacesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeNetworkInterfacesResponse { NetworkInterfaces = null });
    }

    [Fact]
    public async Task DescribeAsync_WhenInstancesAreTerminatedOrShuttingDown_ReportsThemWithTheirState()
    {
        Describe(Instance("i-0000000000000run", InstanceStateName.Running), Instance("i-0000000000000end", InstanceStateName.Terminated),
            Instance("i-0000000000000sdn", InstanceStateName.ShuttingDown), Instance("i-0000000000000stp", InstanceStateName.Stopped));

        var found = await Account.DescribeAsync(["i-0000000000000run", "i-0000000000000end", "i-0000000000000sdn", "i-0000000000000stp"],
            CancellationToken.None);

        Assert.Equal(
            [("i-0000000000000run", InstanceRunState.Running), ("i-0000000000000end", InstanceRunState.Terminated),
                ("i-0000000000000sdn", InstanceRunState.ShuttingDown), ("i-0000000000000stp", InstanceRunState.Stopped)],
            found.Select(s => (s.InstanceId, s.State)));
        Assert.Equal([false, true, false, false], found.Select(s => s.IsTerminated));
    }

    [Fact]
    public async Task DescribeAsync_WhenEc2NamesAStateItDoesNotKnow_ReportsItAsUnknown()
    {
        Describe(Instance("i-0000000000000new", InstanceStateName.FindValue("hibernating")));

        var found = await Account.DescribeAsync(["i-0000000000000new"], CancellationToken.None);

        Assert.Equal(InstanceRunState.Unknown, Assert.Single(found).State);
    }

    [Fact]
    public async Task ListMarkedAsync_WhenAMarkedInstanceIsTerminated_ReportsItTyped()
    {
        DescribeInstancesRequest? sent = null;
        _ec2.Setup(e => e.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .Callback<DescribeInstancesRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new DescribeInstancesResponse { Reservations = [new Reservation { Instances =
                [Instance("i-0000000000000run", InstanceStateName.Running), Instance("i-0000000000000end", InstanceStateName.Terminated)] }] });

        var page = await Account.ListMarkedAsync(null, CancellationToken.None);

        Assert.Equal([InstanceRunState.Running, InstanceRunState.Terminated], page.Items.Select(s => s.State));
        Assert.Null(page.NextToken);
        // No state filter: which states count is the capability's to decide.
        Assert.Equal(["tag-key"], sent!.Filters.Select(f => f.Name));
    }

    [Fact]
    public async Task RevokeDefaultEgressAsync_WhenTheRuleIsRemoved_ReportsAppliedForTheAllowAllIpv4Rule()
    {
        RevokeSecurityGroupEgressRequest? sent = null;
        _ec2.Setup(e => e.RevokeSecurityGroupEgressAsync(It.IsAny<RevokeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .Callback<RevokeSecurityGroupEgressRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new RevokeSecurityGroupEgressResponse { Return = true });

        Assert.Equal(RuleChange.Applied, await Account.RevokeDefaultEgressAsync(Group, CancellationToken.None));

        Assert.Equal(Group, sent!.GroupId);
        var rule = Assert.Single(sent.IpPermissions);
        Assert.Equal("-1", rule.IpProtocol);
        Assert.Equal(["0.0.0.0/0"], rule.Ipv4Ranges.Select(r => r.CidrIp));
    }

    [Fact]
    public async Task RevokeDefaultEgressAsync_WhenEc2SaysThePermissionIsNotFound_ReportsAlreadyAbsent()
    {
        _ec2.Setup(e => e.RevokeSecurityGroupEgressAsync(It.IsAny<RevokeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error("InvalidPermission.NotFound"));

        Assert.Equal(RuleChange.AlreadyAbsent, await Account.RevokeDefaultEgressAsync(Group, CancellationToken.None));
    }

    [Theory]
    [InlineData("InvalidGroup.NotFound", HttpStatusCode.BadRequest, "InvalidRequest")]
    [InlineData("InvalidPermission.Duplicate", HttpStatusCode.BadRequest, "InvalidRequest")]
    [InlineData("UnauthorizedOperation", HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable, "Throttled")]
    public async Task RevokeDefaultEgressAsync_WhenEc2FailsOtherwise_ThrowsTheClassifiedFailure(string code, HttpStatusCode status,
        string failure)
    {
        _ec2.Setup(e => e.RevokeSecurityGroupEgressAsync(It.IsAny<RevokeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(code, status));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Account.RevokeDefaultEgressAsync(Group, CancellationToken.None));

        Assert.Equal(failure, e.Failure.ToString());
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(AwsOperations.Ec2RevokeSecurityGroupEgress, e.Operation);
    }

    [Fact]
    public async Task AllowAllTrafficAsync_WhenBothRulesAreAdded_ReportsBothAppliedWithAllTrafficInAndIpv6Out()
    {
        AuthorizeSecurityGroupIngressRequest? ingress = null;
        AuthorizeSecurityGroupEgressRequest? egress = null;
        _ec2.Setup(e => e.AuthorizeSecurityGroupIngressAsync(It.IsAny<AuthorizeSecurityGroupIngressRequest>(), It.IsAny<CancellationToken>()))
            .Callback<AuthorizeSecurityGroupIngressRequest, CancellationToken>((r, _) => ingress = r)
            .ReturnsAsync(new AuthorizeSecurityGroupIngressResponse());
        _ec2.Setup(e => e.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .Callback<AuthorizeSecurityGroupEgressRequest, CancellationToken>((r, _) => egress = r)
            .ReturnsAsync(new AuthorizeSecurityGroupEgressResponse());

        var change = await Account.AllowAllTrafficAsync(Group, CancellationToken.None);

        Assert.Equal(new AllowAllChange(RuleChange.Applied, RuleChange.Applied), change);
        Assert.Equal(Group, ingress!.GroupId);
        Assert.Equal(["0.0.0.0/0"], ingress.IpPermissions.Single().Ipv4Ranges.Select(r => r.CidrIp));
        Assert.Equal(["::/0"], ingress.IpPermissions.Single().Ipv6Ranges.Select(r => r.CidrIpv6));
        Assert.Equal(Group, egress!.GroupId);
        Assert.Equal(["::/0"], egress.IpPermissions.Single().Ipv6Ranges.Select(r => r.CidrIpv6));
    }

    [Fact]
    public async Task AllowAllTrafficAsync_WhenTheInboundRuleIsADuplicate_ReportsItAndStillAddsTheOutboundRule()
    {
        _ec2.Setup(e => e.AuthorizeSecurityGroupIngressAsync(It.IsAny<AuthorizeSecurityGroupIngressRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error("InvalidPermission.Duplicate"));
        _ec2.Setup(e => e.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AuthorizeSecurityGroupEgressResponse());

        var change = await Account.AllowAllTrafficAsync(Group, CancellationToken.None);

        Assert.Equal(new AllowAllChange(RuleChange.AlreadyPresent, RuleChange.Applied), change);
        _ec2.Verify(e => e.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task AllowAllTrafficAsync_WhenTheOutboundRuleIsADuplicate_ReportsAlreadyPresent()
    {
        _ec2.Setup(e => e.AuthorizeSecurityGroupIngressAsync(It.IsAny<AuthorizeSecurityGroupIngressRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AuthorizeSecurityGroupIngressResponse());
        _ec2.Setup(e => e.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error("InvalidPermission.Duplicate"));

        Assert.Equal(new AllowAllChange(RuleChange.Applied, RuleChange.AlreadyPresent),
            await Account.AllowAllTrafficAsync(Group, CancellationToken.None));
    }

    [Fact]
    public async Task AllowAllTrafficAsync_WhenTheInboundRuleFailsOtherwise_ThrowsAndDoesNotTouchTheOutboundRule()
    {
        // NotFound means something only to a revoke; to an authorize it is a failure like any other.
        _ec2.Setup(e => e.AuthorizeSecurityGroupIngressAsync(It.IsAny<AuthorizeSecurityGroupIngressRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error("InvalidPermission.NotFound"));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => Account.AllowAllTrafficAsync(Group, CancellationToken.None));

        Assert.Equal(AwsOperations.Ec2AuthorizeSecurityGroupIngress, e.Operation);
        Assert.Equal(AwsFailure.InvalidRequest, e.Failure);
        _ec2.Verify(x => x.AuthorizeSecurityGroupEgressAsync(It.IsAny<AuthorizeSecurityGroupEgressRequest>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }
}
