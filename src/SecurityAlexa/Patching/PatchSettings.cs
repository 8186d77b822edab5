using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>How patch commands are sent, read once per container from the environment.</summary>
internal sealed record PatchSettings
{
    /// <summary>The SSM document every patch command runs.</summary>
    public const string Document = "AWS-RunPatchBaseline";

    /// <summary>SendCommand accepts at most this many instance ids per call.</summary>
    public const int MaxIdsPerCommand = 50;

    /// <summary>
    /// The most instances "all except" or "just" may leave to be sent by id (four commands of 50), on a large tag group.
    /// </summary>
    public const int MaxById = 4 * MaxIdsPerCommand;

    /// <summary>How many agents of a large tag group are looked at (one DescribeInstanceInformation page).</summary>
    public const int AgentSample = 50;

    /// <summary>
    /// Up to this many instances every one is checked with Systems Manager before the read-back; a whole tag group above it is
    /// patched with one tag-targeted command after bounded look-ups (PATCH_CHECK_EACH_MAX).
    /// </summary>
    public int CheckEachMax { get; init; } = 200;

    /// <summary>RebootIfNeeded or NoReboot (PATCH_REBOOT_OPTION).</summary>
    public string RebootOption { get; init; } = "RebootIfNeeded";

    /// <summary>How many instances patch at once, a number or a percentage (PATCH_MAX_CONCURRENCY).</summary>
    public string MaxConcurrency { get; init; } = "25%";

    /// <summary>How many failures SSM tolerates before it stops sending the command to more instances (PATCH_MAX_ERRORS).</summary>
    public string MaxErrors { get; init; } = "1";

    /// <summary>Above this many instances the user must say the number back (PATCH_CAP).</summary>
    public int MaxInstances { get; init; } = 50;

    /// <summary>How far back status looks for this skill's commands when the session has none (PATCH_STATUS_LOOKBACK_HOURS).</summary>
    public TimeSpan StatusLookback { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Reads the settings; unknown or malformed values fall back to the safe defaults.</summary>
    public static PatchSettings From(SkillConfig config)
    {
        var defaults = new PatchSettings();
        var reboot = config.String("PATCH_REBOOT_OPTION", defaults.RebootOption);
        return new PatchSettings
        {
            RebootOption = reboot.Equals("NoReboot", StringComparison.OrdinalIgnoreCase) ? "NoReboot" : "RebootIfNeeded",
            MaxConcurrency = ValidRate(config.Optional("PATCH_MAX_CONCURRENCY"), minimum: 1) ?? defaults.MaxConcurrency,
            MaxErrors = ValidRate(config.Optional("PATCH_MAX_ERRORS"), minimum: 0) ?? defaults.MaxErrors,
            MaxInstances = Math.Max(1, config.Int("PATCH_CAP", defaults.MaxInstances)),
            CheckEachMax = Math.Clamp(config.Int("PATCH_CHECK_EACH_MAX", defaults.CheckEachMax), 1, MaxById),
            StatusLookback = TimeSpan.FromHours(Math.Clamp(config.Int("PATCH_STATUS_LOOKBACK_HOURS", 72), 1, 24 * 30)),
        };
    }

    // SSM takes "10" or "10%"; anything else would be rejected at SendCommand time, after the user said yes.
    private static string? ValidRate(string? value, int minimum)
    {
        if (value is null) return null;
        var number = value.EndsWith('%') ? value[..^1] : value;
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var n)) return null;
        if (n < minimum) return null;
        if (value.EndsWith('%') && n > 100) return null;
        return value;
    }
}
