using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Blocking;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Aws;

/// <summary>Network ACLs over EC2: the instance's subnet, its ACL and VPC ranges, its neighbours; one entry added or removed.</summary>
internal sealed class Ec2NetworkAcls(Func<IAmazonEC2> ec2) : INetworkAcls
{
    /// <inheritdoc />
    public async Task<SubnetAcl?> ForInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var described = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances,
            ct => ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, ct), cancellationToken)
            .ConfigureAwait(false);
        var instance = (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance?.SubnetId is not { Length: > 0 } subnetId) return null;

        var acls = await AwsCall.RunAsync(AwsOperations.Ec2DescribeNetworkAcls, ct => ec2().DescribeNetworkAclsAsync(
            new DescribeNetworkAclsRequest { Filters = [new Filter("association.subnet-id", [subnetId])] }, ct), cancellationToken)
            .ConfigureAwait(false);
        // Every subnet is associated with exactly one ACL (the VPC's default one unless another is set).
        if ((acls.NetworkAcls ?? []).FirstOrDefault() is not { } acl) return null;
        var entries = (acl.Entries ?? []).Select(e => new AclEntry(e.RuleNumber ?? 0, e.Egress ?? false,
            e.RuleAction?.Value == "deny", e.CidrBlock ?? e.Ipv6CidrBlock)).ToList();

        var vpcId = instance.VpcId ?? acl.VpcId;
        var cidrs = new List<string>();
        if (vpcId is not null)
        {
            var vpcs = await AwsCall.RunAsync(AwsOperations.Ec2DescribeVpcs,
                ct => ec2().DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpcId] }, ct), cancellationToken).ConfigureAwait(false);
            foreach (var vpc in vpcs.Vpcs ?? [])
            {
                if (vpc.CidrBlock is { } main) cidrs.Add(main);
                cidrs.AddRange((vpc.CidrBlockAssociationSet ?? []).Select(c => c.CidrBlock).Where(c => c is not null));
                cidrs.AddRange((vpc.Ipv6CidrBlockAssociationSet ?? []).Select(c => c.Ipv6CidrBlock).Where(c => c is not null));
            }
        }

        var neighbours = new List<SubnetInstance>();
        string? token = null;
        do
        {
            var request = new DescribeInstancesRequest
            {
                Filters = [new Filter("subnet-id", [subnetId]),
                    new Filter("instance-state-name", ["pending", "running", "stopping", "stopped"])],
                NextToken = token,
            };
            var page = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances, ct => ec2().DescribeInstancesAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
            neighbours.AddRange((page.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(i => new SubnetInstance(i.InstanceId,
                (i.Tags ?? []).FirstOrDefault(t => t.Key == "Name")?.Value, (i.Tags ?? []).Any(t => t.Key == SkillTags.Protected))));
            token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (token is not null);

        return new SubnetAcl(acl.NetworkAclId, subnetId, vpcId, cidrs.Distinct(StringComparer.Ordinal).ToList(), entries,
            neighbours.OrderBy(n => n.DisplayName, StringComparer.Ordinal).ToList());
    }

    /// <inheritdoc />
    public Task AddDenyAsync(string aclId, int ruleNumber, bool egress, string cidr, CancellationToken cancellationToken)
    {
        var request = new CreateNetworkAclEntryRequest
        {
            NetworkAclId = aclId,
            RuleNumber = ruleNumber,
            Egress = egress,
            Protocol = "-1",
            RuleAction = RuleAction.Deny,
        };
        if (cidr.Contains(':', StringComparison.Ordinal)) request.Ipv6CidrBlock = cidr;
        else request.CidrBlock = cidr;
        return AwsCall.RunAsync(AwsOperations.Ec2CreateNetworkAclEntry, ct => ec2().CreateNetworkAclEntryAsync(request, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveAsync(string aclId, int ruleNumber, bool egress, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(AwsOperations.Ec2DeleteNetworkAclEntry, ct => ec2().DeleteNetworkAclEntryAsync(
            new DeleteNetworkAclEntryRequest { NetworkAclId = aclId, RuleNumber = ruleNumber, Egress = egress }, ct), cancellationToken);
}
