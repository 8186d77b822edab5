using SecurityAlexa.AwsContract;
using SecurityAlexa.Blocking;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Network ACLs in the sandbox: one per subnet, each with the usual allow-all entries at 100 and the catch-all deny,
/// over the VPCs' ranges (prod 10.0.0.0/16 and 2600:1f18:4a3:6d00::/56, dev 10.1.0.0/16).
/// </summary>
internal sealed class SandboxNetworkAcls : INetworkAcls
{
    /// <summary>The prod subnet's ACL.</summary>
    public const string ProdAcl = "acl-0a110000000000001";

    /// <summary>The dev subnet's ACL.</summary>
    public const string DevAcl = "acl-0b220000000000002";

    private readonly SandboxWorld _world;
    private readonly Dictionary<string, List<AclEntry>> _entries = new(StringComparer.Ordinal);

    /// <summary>The ACLs over the world's subnets.</summary>
    public SandboxNetworkAcls(SandboxWorld world)
    {
        _world = world;
        foreach (var acl in new[] { ProdAcl, DevAcl })
            _entries[acl] = [new AclEntry(100, false, false, "0.0.0.0/0"), new AclEntry(100, true, false, "0.0.0.0/0"),
                new AclEntry(32767, false, true, "0.0.0.0/0"), new AclEntry(32767, true, true, "0.0.0.0/0")];
    }

    /// <summary>The entries of an ACL now, for tests and the chat.</summary>
    public IReadOnlyList<AclEntry> Entries(string aclId) => _world.Locked(_ => _entries[aclId].ToList());

    /// <inheritdoc />
    public Task<SubnetAcl?> ForInstanceAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult(_world.Locked(w =>
    {
        var instance = w.Find(instanceId);
        if (instance is null || instance.Interfaces.Count == 0) return null;
        var subnet = instance.Interfaces[0].SubnetId;
        var prod = instance.VpcId == SandboxWorld.ProdVpc;
        var acl = prod ? ProdAcl : DevAcl;
        var neighbours = w.Instances.Where(i => i.State != "terminated" && i.Interfaces.Any(n => n.SubnetId == subnet))
            .Select(i => new SubnetInstance(i.Id, i.Tags.GetValueOrDefault("Name"), i.Tags.ContainsKey(SkillTags.Protected)))
            .OrderBy(i => i.DisplayName, StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<string> ranges = prod ? ["10.0.0.0/16", "2600:1f18:4a3:6d00::/56"] : ["10.1.0.0/16"];
        return (SubnetAcl?)new SubnetAcl(acl, subnet, instance.VpcId, ranges, _entries[acl].ToList(), neighbours);
    }));

    /// <inheritdoc />
    public Task AddDenyAsync(string aclId, int ruleNumber, bool egress, string cidr, CancellationToken cancellationToken)
    {
        _world.Locked(_ =>
        {
            var entries = Acl(aclId, AwsOperations.Ec2CreateNetworkAclEntry);
            if (entries.Any(e => e.RuleNumber == ruleNumber && e.Egress == egress))
                throw new AwsCallException(AwsOperations.Ec2CreateNetworkAclEntry, AwsFailure.InvalidRequest,
                    "NetworkAclEntryAlreadyExists", System.Net.HttpStatusCode.BadRequest,
                    "The network acl entry identified by " + ruleNumber + " already exists.");
            entries.Add(new AclEntry(ruleNumber, egress, true, cidr));
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string aclId, int ruleNumber, bool egress, CancellationToken cancellationToken)
    {
        _world.Locked(_ => Acl(aclId, AwsOperations.Ec2DeleteNetworkAclEntry)
            .RemoveAll(e => e.RuleNumber == ruleNumber && e.Egress == egress));
        return Task.CompletedTask;
    }

    private List<AclEntry> Acl(string aclId, string operation) => _entries.TryGetValue(aclId, out var entries) ? entries
        : throw new AwsCallException(operation, AwsFailure.InvalidRequest, "InvalidNetworkAclID.NotFound",
            System.Net.HttpStatusCode.BadRequest, "No such network ACL.");
}
