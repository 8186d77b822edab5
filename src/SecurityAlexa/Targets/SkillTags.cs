namespace SecurityAlexa.Targets;

/// <summary>
/// Tag keys the skill writes on AWS resources and other capabilities read. Every key starts with
/// <see cref="Prefix"/>, so an IAM condition on aws:TagKeys can fence them off.
/// </summary>
internal static class SkillTags
{
    /// <summary>The prefix of every tag key the skill owns.</summary>
    public const string Prefix = "SecurityAlexa:";

    /// <summary>
    /// On an instance: when it was isolated (ISO-8601 UTC). It mirrors the state table's record; anyone who may tag can add it,
    /// so alone it means nothing (no patch exemption, no "isolated" answer).
    /// </summary>
    public const string IsolatedAt = Prefix + "IsolatedAt";

    /// <summary>On an instance: when it was last released from isolation (ISO-8601 UTC).</summary>
    public const string ReleasedAt = Prefix + "ReleasedAt";

    /// <summary>
    /// On an instance, set by people: the skill may read it but never change it (no patch, no isolation). IAM denies it too.
    /// </summary>
    public const string Protected = Prefix + "Protected";

    /// <summary>On a security group: the role the skill created it for ("isolation" or "allow-all").</summary>
    public const string GroupRole = Prefix + "GroupRole";
}
