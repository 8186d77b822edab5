using Amazon.EC2;
using Amazon.EC2.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Blocking;

namespace SecurityAlexa.Tests.Blocking;

/// <summary>The network-ACL adapter: the EC2 calls and their arguments; and the top-sources query text.</summary>
public sealed class Ec2NetworkAclsTests
{
    [Fact]
    public async Task AddDeny_ForIpv4AndIpv6_AddsAnAllProtocolDenyInTheRightField()
    {
        var ec2 = new Mock<IAmazonEC2>(MockBehavior.Strict);
        var sent = new List<CreateNetworkAclEntryRequest>();
        ec2.Setup(e => e.CreateNetworkAclEntryAsync(It.IsAny<CreateNetworkAclEntryRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CreateNetworkAclEntryRequest, CancellationToken>((r, _) => sent.Add(r)).ReturnsAsync(new CreateNetworkAclEntryResponse());
        var acls = new Ec2NetworkAcls(() => ec2.Object);

        await acls.AddDenyAsync("acl-0a110000000000001", 3, false, "203.0.113.5/32", CancellationToken.None);
        await acls.AddDenyAsync("acl-0a110000000000001", 3, true, "2001:db8::/48", CancellationToken.None);

        Assert.All(sent, r => Assert.Equal(("acl-0a110000000000001", 3, "-1", "deny"), (r.NetworkAclId, r.RuleNumber!.Value, r.Protocol, r.RuleAction.Value)));
        Assert.Equal(("203.0.113.5/32", (string?)null, false), (sent[0].CidrBlock, sent[0].Ipv6CidrBlock, sent[0].Egress!.Value));
        Assert.Equal(((string?)null, "2001:db8::/48", true), (sent[1].CidrBlock, sent[1].Ipv6CidrBlock, sent[1].Egress!.Value));
    }

    [Fact]
    public async Task Remove_DeletesExactlyThatNumberAndDirection()
    {
        var ec2 = new Mock<IAmazonEC2>(MockBehavior.Strict);
        ec2.Setup(e => e.DeleteNetworkAclEntryAsync(It.Is<DeleteNetworkAclEntryRequest>(r =>
            r.NetworkAclId == "acl-0a110000000000001" && r.RuleNumber == 7 && r.Egress == true), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DeleteNetworkAclEntryResponse());

        await new Ec2NetworkAcls(() => ec2.Object).RemoveAsync("acl-0a110000000000001", 7, true, CancellationToken.None);

        ec2.VerifyAll();
    }

    [Fact]
    public async Task ForInstance_ReadsTheSubnetsAclTheVpcRangesAndEveryInstanceInTheSubnet()
    {
        var ec2 = new Mock<IAmazonEC2>(MockBehavior.Strict);
        ec2.Setup(e => e.DescribeInstancesAsync(It.Is<DescribeInstancesRequest>(r => r.InstanceIds != null && r.InstanceIds.Count == 1),
            It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeInstancesResponse
            {
                Reservations = [new Reservation { Instances = [new Instance { InstanceId = "i-1", SubnetId = "subnet-1", VpcId = "vpc-1" }] }],
            });
        ec2.Setup(e => e.DescribeInstancesAsync(It.Is<DescribeInstancesRequest>(r => r.Filters != null && r.Filters.Any(f => f.Name == "subnet-id")),
            It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeInstancesResponse
            {
                Reservations = [new Reservation { Instances = [new Instance { InstanceId = "i-1", Tags = [new Tag("Name", "web-1")] },
                    new Instance { InstanceId = "i-2" }] }],
            });
        ec2.Setup(e => e.DescribeNetworkAclsAsync(It.Is<DescribeNetworkAclsRequest>(r => r.Filters[0].Name == "association.subnet-id"
            && r.Filters[0].Values[0] == "subnet-1"), It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeNetworkAclsResponse
            {
                NetworkAcls = [new NetworkAcl { NetworkAclId = "acl-0a110000000000001", Entries =
                    [new NetworkAclEntry { RuleNumber = 100, Egress = false, RuleAction = RuleAction.Allow, CidrBlock = "0.0.0.0/0" }] }],
            });
        ec2.Setup(e => e.DescribeVpcsAsync(It.IsAny<DescribeVpcsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new DescribeVpcsResponse
        {
            Vpcs = [new Vpc { VpcId = "vpc-1", CidrBlock = "10.0.0.0/16",
                Ipv6CidrBlockAssociationSet = [new VpcIpv6CidrBlockAssociation { Ipv6CidrBlock = "2600:1f18::/56" }] }],
        });

        var acl = await new Ec2NetworkAcls(() => ec2.Object).ForInstanceAsync("i-1", CancellationToken.None);

        Assert.Equal("acl-0a110000000000001", acl!.AclId);
        Assert.Equal("subnet-1", acl.SubnetId);
        Assert.Equal(["10.0.0.0/16", "2600:1f18::/56"], acl.VpcCidrs);
        Assert.Equal([new AclEntry(100, false, false, "0.0.0.0/0")], acl.Entries);
        Assert.Equal(["i-2", "web-1"], acl.Instances.Select(i => i.DisplayName));
        ec2.Verify(e => e.CreateNetworkAclEntryAsync(It.IsAny<CreateNetworkAclEntryRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void TopSourcesQuery_CountsBySourceAndActionAndLeavesOutTheInstanceAndAnythingUnchecked()
    {
        var query = AwsFlowLogs.TopSourcesQuery(["eni-0a1b2c3d4e5f6", "eni-x\" or 1=1"], ["10.0.1.11", "not an ip\""]);

        Assert.Equal("filter interfaceId in [\"eni-0a1b2c3d4e5f6\"] and srcAddr != \"10.0.1.11\" | stats count(*) as hits by srcAddr, action"
            + " | sort hits desc | limit 100", query);
    }
}
