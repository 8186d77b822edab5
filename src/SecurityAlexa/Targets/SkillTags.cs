namespace SecurityAlexa.Targets;

/// <summary>Tags this skill writes on instances, read back by every capability.</summary>
public static class SkillTags
{
    /// <summary>Set on an instance while it is isolated by this skill (the isolation capability writes it).</summary>
    public const string IsolatedAt = "SecurityAlexa:IsolatedAt";
}
