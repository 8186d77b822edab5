using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The EC2 operations isolation needs, each a thin translation of one or two SDK calls. The adapter
/// decides nothing: the order of calls and every judgement live in <see cref="InstanceIsolator"/>.
/// </summary>
internal interface IIsolationAccount
{
    /// <summary>
    /// Instances with their interfaces, interface tags and volumes (DescribeInstances + DescribeNetworkInterfaces), in whatever
    /// state EC2 reports, terminated included; ids EC2 does not know are left out.
    /// </summary>
    Task<IReadOnlyList<IsolationSubject>> DescribeAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken);

    /// <summary>One page of instances that carry the isolation marker (DescribeInstances, tag-key filter), any state.</summary>
    Task<Page<IsolationSubject>> ListMarkedAsync(string? nextToken, CancellationToken cancellationToken);

    /// <summary>Whether termination protection is on (DescribeInstanceAttribute disableApiTermination).</summary>
    Task<bool> GetTerminationProtectionAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Turns termination protection on or off (ModifyInstanceAttribute DisableApiTermination).</summary>
    Task SetTerminationProtectionAsync(string instanceId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Adds or overwrites tags on resources (CreateTags).</summary>
    Task TagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Removes tags (DeleteTags); a null value removes the key whatever its value, a value removes it only when it matches.
    /// </summary>
    Task UntagAsync(IReadOnlyCollection<string> resourceIds, IReadOnlyDictionary<string, string?> tags,
        CancellationToken cancellationToken);

    /// <summary>Replaces an interface's security groups (ModifyNetworkInterfaceAttribute Groups).</summary>
    Task SetInterfaceGroupsAsync(string interfaceId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken);

    /// <summary>The skill's groups in a VPC, found by their role tag (DescribeSecurityGroups).</summary>
    Task<IReadOnlyList<SkillGroup>> FindSkillGroupsAsync(string vpcId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a security group with its tags in one call (CreateSecurityGroup); returns its id, or null when a group
    /// of that name already exists in the VPC (another invocation may have created it a moment ago).
    /// </summary>
    Task<string?> CreateGroupAsync(NewSkillGroup group, CancellationToken cancellationToken);

    /// <summary>
    /// Lets all traffic in and out, IPv4 and IPv6 (AuthorizeSecurityGroupIngress/Egress); says of each rule whether it was
    /// added or already there.
    /// </summary>
    Task<AllowAllChange> AllowAllTrafficAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the allow-all IPv4 egress rule every new group starts with (RevokeSecurityGroupEgress); says whether it was
    /// removed or already gone.
    /// </summary>
    Task<RuleChange> RevokeDefaultEgressAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts crash-consistent snapshots of every EBS volume of an instance, tagged (CreateSnapshots); returns the snapshot ids.
    /// </summary>
    Task<IReadOnlyList<string>> SnapshotInstanceAsync(string instanceId, string description, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);
}
