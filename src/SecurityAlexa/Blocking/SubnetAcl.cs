namespace SecurityAlexa.Blocking;

/// <summary>A subnet's network ACL as it is now, with what a read-back has to name.</summary>
/// <param name="AclId">The ACL associated with the subnet.</param>
/// <param name="SubnetId">The subnet.</param>
/// <param name="VpcId">Its VPC.</param>
/// <param name="VpcCidrs">The VPC's IPv4 and IPv6 ranges: never blocked.</param>
/// <param name="Entries">Every entry of the ACL, both directions.</param>
/// <param name="Instances">Every instance in the subnet: all of them are affected by an entry.</param>
internal sealed record SubnetAcl(string AclId, string SubnetId, string? VpcId, IReadOnlyList<string> VpcCidrs,
    IReadOnlyList<AclEntry> Entries, IReadOnlyList<SubnetInstance> Instances);

/// <summary>One entry of a network ACL.</summary>
internal sealed record AclEntry(int RuleNumber, bool Egress, bool Deny, string? Cidr);

/// <summary>An instance in the subnet, to name in the read-back.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Name">Its Name tag.</param>
/// <param name="Protected">Tagged SecurityAlexa:Protected: an entry in its subnet's ACL would change its traffic, so none is added.</param>
internal sealed record SubnetInstance(string Id, string? Name, bool Protected = false)
{
    /// <summary>The Name tag, or the id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;
}
