namespace SecurityAlexa.Isolation;

/// <summary>
/// What EC2 said to a request to add or remove a security-group rule. A rule already there, or already gone, is
/// reported rather than thrown; whether that counts as done is for <see cref="IsolationGroups"/> to decide.
/// </summary>
internal enum RuleChange
{
    /// <summary>The rule was added or removed.</summary>
    Applied,
    /// <summary>Asked to add a rule the group already has (EC2's InvalidPermission.Duplicate).</summary>
    AlreadyPresent,
    /// <summary>Asked to remove a rule the group does not have (EC2's InvalidPermission.NotFound).</summary>
    AlreadyAbsent,
}
