using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Aws;

/// <summary>The isolation port over the EC2 SDK: one translation per operation, every call named for IAM.</summary>
internal sealed class Ec2IsolationAccount(Func<IAmazonEC2> ec2) : IIsolationAccount
{
    public Ec2IsolationAccount(IAmazonEC2 ec2) : this(() => ec2) { }

    // EC2 accepts up to 200 values per filter; stay well under it.
    private const int IdsPerCall = 100;
    private const string AllProtocols = "-1";
    private const string AnyIpv4 = "0.0.0.0/0";
    private const string AnyIpv6 = "::/0";
    private const string Duplicate = "InvalidPermission.Duplicate";
    private const string NotFound = "InvalidPermission.NotFound";

    /// <inheritdoc />
    public async Task<IReadOnlyList<IsolationSubject>> DescribeAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0) return [];
        var instancesTask = DescribeInstancesAsync(instanceIds, cancellationToken);
        var interfacesTask = DescribeInterfacesAsync(instanceIds, cancellationToken);
        try
        {
            await Task.WhenAll(instancesTask, interfacesTask).ConfigureAwait(false);
        }
        catch (AwsCallException)
        {
            // Both have finished; the awaits below rethrow the failure.
        }
        var instances = await instancesTask.ConfigureAwait(false);
        var interfaces = (await interfacesTask.ConfigureAwait(false))
            .Where(n => n.Attachment?.InstanceId is not null)
            .ToLookup(n => n.Attachment!.InstanceId, StringComparer.Ordinal);
        return instances.Select(i => ToSubject(i, interfaces[i.InstanceId].Select(ToInterface).ToList())).ToList();
    }

    /// <inheritdoc />
    public async Task<Page<IsolationSubject>> ListMarkedAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var request = new DescribeInstancesRequest
        {
            Filters = [new Filter("tag-key", [SkillTags.IsolatedAt])],
            MaxResults = 200,
            NextToken = nextToken,
        };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances, ct => ec2().DescribeInstancesAsync(request, ct),
            cancellationToken).ConfigureAwait(false);
        var items = (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])
            .Select(i => ToSubject(i, (i.NetworkInterfaces ?? []).Select(ToInterface).ToList()))
            .ToList();
        return new Page<IsolationSubject>(items, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    /// <inheritdoc />
    public async Task<bool> GetTerminationProtectionAsync(string instanceId, CancellationToken cancellationToken)
    {
        var request = new DescribeInstanceAttributeRequest { InstanceId = instanceId,
            Attribute = InstanceAttributeName.DisableApiTermination };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstanceAttribute,
            ct => ec2().DescribeInstanceAttributeAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return response.InstanceAttribute?.DisableApiTermination ?? false;
    }

    /// <inheritdoc />
    public Task SetTerminationProtectionAsync(string instanceId, bool enabled, CancellationToken cancellationToken)
    {
        var request = new ModifyInstanceAttributeRequest { InstanceId = instanceId, DisableApiTermination = enabled };
        return AwsCall.RunAsync(AwsOperations.Ec2ModifyInstanceAttribute, ct => ec2().ModifyInstanceAttributeAsync(request, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task TagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        var request = new CreateTagsRequest { Resources = [.. resourceIds], Tags = tags.Select(t => new Tag(t.Key, t.Value)).ToList() };
        return AwsCall.RunAsync(AwsOperations.Ec2CreateTags, ct => ec2().CreateTagsAsync(request, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task UntagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string?> tags,
        CancellationToken cancellationToken)
    {
        // A tag without a value deletes the key whatever its value; with a value, only when it matches.
        var request = new DeleteTagsRequest
        {
            Resources = [.. resourceIds],
            Tags = tags.Select(t => t.Value is null ? new Tag { Key = t.Key } : new Tag(t.Key, t.Value)).ToList(),
        };
        return AwsCall.RunAsync(AwsOperations.Ec2DeleteTags, ct => ec2().DeleteTagsAsync(request, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task SetInterfaceGroupsAsync(string interfaceId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
    {
        var request = new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = interfaceId, Groups = [.. groupIds] };
        return AwsCall.RunAsync(AwsOperations.Ec2ModifyNetworkInterfaceAttribute,
            ct => ec2().ModifyNetworkInterfaceAttributeAsync(request, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SkillGroup>> FindSkillGroupsAsync(string vpcId, CancellationToken cancellationToken)
    {
        var request = new DescribeSecurityGroupsRequest
        {
            Filters = [new Filter("vpc-id", [vpcId]), new Filter("tag-key", [SkillTags.GroupRole])],
        };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeSecurityGroups,
            ct => ec2().DescribeSecurityGroupsAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return (response.SecurityGroups ?? [])
            .Select(g => new SkillGroup(
                g.GroupId,
                g.VpcId ?? vpcId,
                (g.Tags ?? []).FirstOrDefault(t => t.Key == SkillTags.GroupRole)?.Value ?? "",
                g.IpPermissions?.Count ?? 0,
                g.IpPermissionsEgress?.Count ?? 0,
                IsDefaultEgress(g.IpPermissionsEgress)))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<string?> CreateGroupAsync(NewSkillGroup group, CancellationToken cancellationToken)
    {
        // Tagged in the same call, so that a group the skill made is never without its role.
        var request = new CreateSecurityGroupRequest
        {
            GroupName = group.Name,
            Description = group.Description,
            VpcId = group.VpcId,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup,
                Tags = group.Tags.Select(t => new Tag(t.Key, t.Value)).ToList() }],
        };
        try
        {
            var response = await AwsCall.RunAsync(AwsOperations.Ec2CreateSecurityGroup, ct => ec2().CreateSecurityGroupAsync(request, ct),
                cancellationToken)
                .ConfigureAwait(false);
            return response.GroupId;
        }
        catch (AwsCallException e) when (e.ErrorCode == AwsErrorCodes.Ec2GroupDuplicate)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<AllowAllChange> AllowAllTrafficAsync(string groupId, CancellationToken cancellationToken)
    {
        var ingress = new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = AllProtocols, Ipv4Ranges = [new IpRange { CidrIp = AnyIpv4 }],
                Ipv6Ranges = [new Ipv6Range { CidrIpv6 = AnyIpv6 }] }],
        };
        // A new group already lets all IPv4 out; IPv6 out is added so that IPv6 flows are untracked too.
        var egress = new AuthorizeSecurityGroupEgressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = AllProtocols, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = AnyIpv6 }] }],
        };
        var ingressChange = await RuleChangeAsync(() => AwsCall.RunAsync(AwsOperations.Ec2AuthorizeSecurityGroupIngress,
            ct => ec2().AuthorizeSecurityGroupIngressAsync(ingress, ct), cancellationToken), Duplicate, RuleChange.AlreadyPresent)
            .ConfigureAwait(false);
        var egressChange = await RuleChangeAsync(() => AwsCall.RunAsync(AwsOperations.Ec2AuthorizeSecurityGroupEgress,
            ct => ec2().AuthorizeSecurityGroupEgressAsync(egress, ct), cancellationToken), Duplicate, RuleChange.AlreadyPresent)
            .ConfigureAwait(false);
        return new AllowAllChange(ingressChange, egressChange);
    }

    /// <inheritdoc />
    public Task<RuleChange> RevokeDefaultEgressAsync(string groupId, CancellationToken cancellationToken)
    {
        var request = new RevokeSecurityGroupEgressRequest
        {
            GroupId = groupId,
            IpPermissions = [new IpPermission { IpProtocol = AllProtocols, Ipv4Ranges = [new IpRange { CidrIp = AnyIpv4 }] }],
        };
        return RuleChangeAsync(() => AwsCall.RunAsync(AwsOperations.Ec2RevokeSecurityGroupEgress,
            ct => ec2().RevokeSecurityGroupEgressAsync(request, ct), cancellationToken), NotFound, RuleChange.AlreadyAbsent);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> SnapshotInstanceAsync(string instanceId, string description,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        // One call for all volumes: the snapshots are crash-consistent with each other, which matters for forensics.
        var request = new CreateSnapshotsRequest
        {
            InstanceSpecification = new InstanceSpecification { InstanceId = instanceId, ExcludeBootVolume = false },
            Description = description,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot,
                Tags = tags.Select(t => new Tag(t.Key, t.Value)).ToList() }],
        };
        var response = await AwsCall.RunAsync(AwsOperations.Ec2CreateSnapshots, ct => ec2().CreateSnapshotsAsync(request, ct),
            cancellationToken).ConfigureAwait(false);
        return (response.Snapshots ?? []).Select(s => s.SnapshotId).Where(id => !string.IsNullOrEmpty(id)).ToList();
    }

    private async Task<List<Instance>> DescribeInstancesAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken)
    {
        var result = new List<Instance>();
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerCall))
        {
            // A filter, not InstanceIds: an id that no longer exists is left out instead of failing the call.
            string? token = null;
            do
            {
                var request = new DescribeInstancesRequest { Filters = [new Filter("instance-id", [.. chunk])], NextToken = token };
                var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeInstances, ct => ec2().DescribeInstancesAsync(request, ct),
                    cancellationToken).ConfigureAwait(false);
                result.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? []));
                token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (token is not null);
        }
        return result;
    }

    private async Task<List<NetworkInterface>> DescribeInterfacesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        var result = new List<NetworkInterface>();
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerCall))
        {
            string? token = null;
            do
            {
                var request = new DescribeNetworkInterfacesRequest { Filters = [new Filter("attachment.instance-id", [.. chunk])],
                    NextToken = token };
                var response = await AwsCall.RunAsync(AwsOperations.Ec2DescribeNetworkInterfaces,
                    ct => ec2().DescribeNetworkInterfacesAsync(request, ct), cancellationToken).ConfigureAwait(false);
                result.AddRange(response.NetworkInterfaces ?? []);
                token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (token is not null);
        }
        return result;
    }

    private static IsolationSubject ToSubject(Instance instance, List<InterfaceState> interfaces)
    {
        var tags = (instance.Tags ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal);
        // Interface tags come from DescribeNetworkInterfaces; if it has not caught up yet, the instance's
        // own view (groups, no tags) is used, which can never be mistaken for a record.
        if (interfaces.Count == 0) interfaces = (instance.NetworkInterfaces ?? []).Select(ToInterface).ToList();
        return new IsolationSubject(
            instance.InstanceId,
            tags.GetValueOrDefault("Name"),
            Lifecycle(instance.State),
            instance.VpcId,
            tags,
            (instance.BlockDeviceMappings ?? []).Select(b => b.Ebs?.VolumeId).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)
                .ToList(),
            interfaces);
    }

    private static InterfaceState ToInterface(NetworkInterface n) => new(
        n.NetworkInterfaceId,
        n.VpcId,
        (n.Groups ?? []).Select(g => new GroupRef(g.GroupId, g.GroupName)).ToList(),
        (n.TagSet ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal),
        n.Attachment?.DeviceIndex ?? 0);

    private static InterfaceState ToInterface(InstanceNetworkInterface n) => new(
        n.NetworkInterfaceId,
        n.VpcId,
        (n.Groups ?? []).Select(g => new GroupRef(g.GroupId, g.GroupName)).ToList(),
        new Dictionary<string, string>(StringComparer.Ordinal),
        n.Attachment?.DeviceIndex ?? 0);

    private static bool IsDefaultEgress(List<IpPermission>? egress) =>
        egress is [var only] && only.IpProtocol == AllProtocols
        && only.Ipv4Ranges is [{ CidrIp: AnyIpv4 }]
        && (only.Ipv6Ranges?.Count ?? 0) == 0 && (only.PrefixListIds?.Count ?? 0) == 0 && (only.UserIdGroupPairs?.Count ?? 0) == 0;

    // EC2 answers a rule that is already there, or already gone, with an error; it is a fact about the group, not a failure.
    private static async Task<RuleChange> RuleChangeAsync<T>(Func<Task<T>> call, string asWantedCode, RuleChange asWanted)
    {
        try
        {
            await call().ConfigureAwait(false);
            return RuleChange.Applied;
        }
        catch (AwsCallException e) when (e.ErrorCode == asWantedCode)
        {
            return asWanted;
        }
    }

    private static InstanceRunState Lifecycle(InstanceState? state) => InstanceRunStates.FromEc2Name(state?.Name?.Value);
}
