namespace SecurityAlexa.Blocking;

/// <summary>
/// EC2 network ACLs as blocking needs them: the ACL of an instance's subnet with its entries, the VPC's ranges and
/// the instances that share the subnet; and adding or removing one entry.
/// </summary>
internal interface INetworkAcls
{
    /// <summary>The ACL of the instance's (primary interface's) subnet, or null when the instance has no subnet.</summary>
    Task<SubnetAcl?> ForInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Adds a deny-all-traffic entry for the CIDR, inbound (<paramref name="egress"/> false) or outbound.</summary>
    Task AddDenyAsync(string aclId, int ruleNumber, bool egress, string cidr, CancellationToken cancellationToken);

    /// <summary>Removes the entry with that number and direction.</summary>
    Task RemoveAsync(string aclId, int ruleNumber, bool egress, CancellationToken cancellationToken);
}
