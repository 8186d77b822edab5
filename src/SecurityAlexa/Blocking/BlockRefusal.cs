namespace SecurityAlexa.Blocking;

/// <summary>Why an address is not blocked; each has its own spoken answer.</summary>
internal enum BlockRefusal
{
    /// <summary>Not a valid IPv4 or IPv6 address or CIDR (or host bits set below the prefix).</summary>
    NotAnAddress,

    /// <summary>0.0.0.0/0 or ::/0: everything.</summary>
    Everything,

    /// <summary>Wider than a /24 (IPv4) or a /48 (IPv6).</summary>
    TooWide,

    /// <summary>Overlaps one of the VPC's own ranges.</summary>
    InsideVpc,

    /// <summary>The ACL already holds the most entries the skill may add to one ACL.</summary>
    AclFull,
}
