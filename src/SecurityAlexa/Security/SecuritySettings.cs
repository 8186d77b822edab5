using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>
/// The security configuration, read once per container from environment variables (see docs/security.md).
/// Relaxations meant for the local runner (ALLOW_ANY_SPEAKER, REQUEST_AGE_CHECK=off) are ignored when the
/// function runs in Lambda, which is recognised by SKILL_ID being required.
/// </summary>
internal sealed record SecuritySettings
{
    /// <summary>Defaults with no allow-list: mutating intents are refused.</summary>
    public static readonly SecuritySettings Default = new();

    /// <summary>Hashed person ids allowed to run mutating intents (ALLOWED_SPEAKERS).</summary>
    public IReadOnlySet<string> AllowedSpeakers { get; init; } = new HashSet<string>();

    /// <summary>
    /// Hashed user ids the skill serves at all (ALLOWED_USERS). In Lambda an empty list serves no account (fail
    /// closed, like SKILL_ID); null, which only the local runner gets, serves every account that reaches it.
    /// </summary>
    public IReadOnlySet<string>? AllowedUsers { get; init; }

    /// <summary>Skip the speaker check for mutating intents (ALLOW_ANY_SPEAKER); local runner only.</summary>
    public bool AllowAnySpeaker { get; init; }

    /// <summary>When the spoken code is required (SECURITY_CODE).</summary>
    public SecurityCodeMode CodeMode { get; init; } = SecurityCodeMode.Off;

    /// <summary>The SecureString parameter holding the code's PBKDF2 hash (SECURITY_CODE_PARAMETER).</summary>
    public string CodeParameter { get; init; } = "/securityalexa/security-code";

    /// <summary>The stack's KMS key the code's hash is encrypted under (SECURITY_CODE_KMS_KEY: key id, ARN or alias).</summary>
    public string? CodeKeyId { get; init; }

    /// <summary>The pepper mixed into the code's hash (SECURITY_CODE_PEPPER); never stored in the parameter.</summary>
    public CodePepper? CodePepper { get; init; }

    /// <summary>How long a container keeps the decrypted code hash before reading it again (SECURITY_CODE_CACHE_SECONDS).</summary>
    public TimeSpan CodeCacheFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wrong codes in a row that lock the speaker out (SECURITY_CODE_MAX_ATTEMPTS).</summary>
    public int MaxCodeAttempts { get; init; } = 3;

    /// <summary>How long a lockout lasts, and the window in which wrong codes are counted (SECURITY_CODE_LOCK_MINUTES).</summary>
    public TimeSpan LockFor { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Wrong codes from everyone in one clock hour that lock every speaker until the hour ends (SECURITY_CODE_MAX_TOTAL_ATTEMPTS).
    /// </summary>
    public int MaxTotalCodeAttempts { get; init; } = 10;

    /// <summary>How long a correct code is remembered in the session (SECURITY_CODE_VERIFIED_MINUTES).</summary>
    public TimeSpan VerifiedFor { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Above this many instances the user must say the number back (CONFIRM_COUNT_ABOVE).</summary>
    public int ConfirmCountAbove { get; init; } = 3;

    /// <summary>Which requests need a fresh timestamp (REQUEST_AGE_CHECK).</summary>
    public RequestAgeCheck AgeCheck { get; init; } = RequestAgeCheck.All;

    /// <summary>Alexa's tolerance for request timestamps, either way (REQUEST_MAX_AGE_SECONDS, at most 150).</summary>
    public TimeSpan MaxRequestAge { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>How long a request id is remembered durably at least (REPLAY_RECORD_MINUTES).</summary>
    public TimeSpan ReplayRecordFor { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a claim on a request or event id lives: a request is accepted up to MaxRequestAge either
    /// side of its timestamp, so it can arrive again up to twice that after it was first seen; a little
    /// more covers clocks and TTL rounding.
    /// </summary>
    public TimeSpan ClaimFor
    {
        get
        {
            var window = 2 * MaxRequestAge + TimeSpan.FromSeconds(30);
            return ReplayRecordFor > window ? ReplayRecordFor : window;
        }
    }

    /// <summary>Which voices hear instance names, CVE ids and isolation reasons (READ_ACCESS).</summary>
    public ReadAccess ReadAccess { get; init; } = ReadAccess.Accounts;

    /// <summary>How much of an instance id may be spoken (SPEAK_INSTANCE_IDS).</summary>
    public InstanceIdSpeech SpeakInstanceIds { get; init; } = InstanceIdSpeech.Ending;

    /// <summary>Reads the settings; anything unreadable falls back to the stricter choice.</summary>
    public static SecuritySettings From(SkillConfig config)
    {
        var local = !config.RequireSkillId;
        var age = Parse(config.Optional("REQUEST_AGE_CHECK"), RequestAgeCheck.All, ("all", RequestAgeCheck.All),
            ("mutating", RequestAgeCheck.Mutating), ("off", RequestAgeCheck.Off), ("false", RequestAgeCheck.Off));
        // In Lambda only "mutating" or stricter is honoured; switching the check off is for the sandbox.
        if (!local && age == RequestAgeCheck.Off) age = RequestAgeCheck.Mutating;
        return new SecuritySettings
        {
            AllowedSpeakers = HashList(config.Optional("ALLOWED_SPEAKERS")) ?? new HashSet<string>(),
            AllowedUsers = HashList(config.Optional("ALLOWED_USERS")) ?? (local ? null : new HashSet<string>()),
            AllowAnySpeaker = local && config.Bool("ALLOW_ANY_SPEAKER", false),
            // Anything but an explicit "off" turns the code on: a typo must not switch it off.
            CodeMode = config.Optional("SECURITY_CODE") is not { } mode ? SecurityCodeMode.Off
                : mode.Trim().ToLowerInvariant() is "off" or "false" or "0" or "no" ? SecurityCodeMode.Off : SecurityCodeMode.Mutating,
            CodeParameter = config.String("SECURITY_CODE_PARAMETER", "/securityalexa/security-code"),
            CodeKeyId = config.Optional("SECURITY_CODE_KMS_KEY"),
            CodePepper = config.Optional("SECURITY_CODE_PEPPER") is { } pepper ? new CodePepper(pepper) : null,
            CodeCacheFor = TimeSpan.FromSeconds(Math.Clamp(config.Int("SECURITY_CODE_CACHE_SECONDS", 60), 0, 300)),
            MaxCodeAttempts = Math.Clamp(config.Int("SECURITY_CODE_MAX_ATTEMPTS", 3), 1, 20),
            MaxTotalCodeAttempts = Math.Clamp(config.Int("SECURITY_CODE_MAX_TOTAL_ATTEMPTS", 10), 1, 1000),
            LockFor = TimeSpan.FromMinutes(Math.Clamp(config.Int("SECURITY_CODE_LOCK_MINUTES", 15), 1, 24 * 60)),
            VerifiedFor = TimeSpan.FromMinutes(Math.Clamp(config.Int("SECURITY_CODE_VERIFIED_MINUTES", 5), 0, 60)),
            ConfirmCountAbove = Math.Max(0, config.Int("CONFIRM_COUNT_ABOVE", 3)),
            AgeCheck = age,
            MaxRequestAge = TimeSpan.FromSeconds(Math.Clamp(config.Int("REQUEST_MAX_AGE_SECONDS", 150), 1, 150)),
            ReplayRecordFor = TimeSpan.FromMinutes(Math.Clamp(config.Int("REPLAY_RECORD_MINUTES", 5), 3, 60)),
            // Anything but "accounts" is read as the stricter "speakers": a typo must not open names up.
            ReadAccess = config.Optional("READ_ACCESS") is { } access
                && !string.Equals(access.Trim(), "accounts", StringComparison.OrdinalIgnoreCase)
                    ? ReadAccess.Speakers : ReadAccess.Accounts,
            SpeakInstanceIds = Parse(config.Optional("SPEAK_INSTANCE_IDS"), InstanceIdSpeech.Ending,
                ("ending", InstanceIdSpeech.Ending), ("true", InstanceIdSpeech.Full), ("full", InstanceIdSpeech.Full),
                ("false", InstanceIdSpeech.None), ("none", InstanceIdSpeech.None)),
        };
    }

    // Hex hashes compare case-insensitively; separators are forgiving because people paste lists.
    private static HashSet<string>? HashList(string? raw)
    {
        if (raw is null) return null;
        var items = raw.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant());
        return items.ToHashSet(StringComparer.Ordinal);
    }

    private static T Parse<T>(string? raw, T fallback, params ReadOnlySpan<(string Name, T Value)> choices)
    {
        if (raw is null) return fallback;
        var key = raw.Trim().ToLowerInvariant();
        foreach (var (name, value) in choices)
        {
            if (name == key) return value;
        }
        return fallback;
    }
}
