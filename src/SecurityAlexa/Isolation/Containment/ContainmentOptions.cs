using SecurityAlexa.Skill;

namespace SecurityAlexa.Isolation.Containment;

/// <summary>Containment settings, read once per container.</summary>
internal sealed record ContainmentOptions
{
    /// <summary>
    /// Deny the instance role's sessions issued before the isolation (REVOKE_INSTANCE_ROLE_SESSIONS, default false): it
    /// affects every instance and service that uses the role, so it is asked for explicitly.
    /// </summary>
    public bool RevokeRoleSessions { get; init; }

    /// <summary>
    /// The longest the steps before the swap may take (CONTAINMENT_TIME_LIMIT_MS, default 2500): the network isolation
    /// matters most, so a slow service only makes a step fail, to be retried.
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>Reads the settings.</summary>
    public static ContainmentOptions From(SkillConfig config) => new()
    {
        RevokeRoleSessions = config.Bool("REVOKE_INSTANCE_ROLE_SESSIONS", false),
        TimeLimit = TimeSpan.FromMilliseconds(Math.Clamp(config.Int("CONTAINMENT_TIME_LIMIT_MS", 2500), 0, 6000)),
    };
}
