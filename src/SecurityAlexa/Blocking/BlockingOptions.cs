using SecurityAlexa.Skill;

namespace SecurityAlexa.Blocking;

/// <summary>Blocking settings, read once per container.</summary>
internal sealed record BlockingOptions
{
    /// <summary>
    /// The first rule number the skill uses. ACL entries are evaluated lowest number first, so a deny must sit below the
    /// account's own allow entries (usually 100 and up).
    /// </summary>
    public int FirstRule { get; init; } = 1;

    /// <summary>The last rule number the skill uses (the reserved range is FirstRule..LastRule).</summary>
    public int LastRule { get; init; } = 99;

    /// <summary>The most of the skill's blocks in one ACL (BLOCK_MAX_PER_ACL, default 20).</summary>
    public int MaxPerAcl { get; init; } = 20;

    /// <summary>How far back "who is hitting" looks.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many sources are spoken.</summary>
    public int SourcesSpoken { get; init; } = 3;

    /// <summary>Reads the settings.</summary>
    public static BlockingOptions From(SkillConfig config) => new()
    {
        MaxPerAcl = Math.Clamp(config.Int("BLOCK_MAX_PER_ACL", 20), 1, 49),
    };
}
