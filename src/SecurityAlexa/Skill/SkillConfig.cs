using System.Globalization;

namespace SecurityAlexa.Skill;

/// <summary>The function's configuration, read once per container from environment variables.</summary>
internal sealed record SkillConfig
{
    /// <summary>The Alexa skill id requests must carry (SKILL_ID).</summary>
    public string? SkillId { get; init; }

    /// <summary>When true a missing SKILL_ID rejects every request (Lambda); the local runner relaxes it.</summary>
    public bool RequireSkillId { get; init; } = true;

    /// <summary>How long after arrival the answer must be ready; Alexa gives up at 8 s (RESPONSE_BUDGET_MS).</summary>
    public TimeSpan ResponseBudget { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>Time kept back from the budget to serialize and return (DEADLINE_MARGIN_MS).</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// The function's Lambda timeout (FUNCTION_TIMEOUT_SECONDS, set by the templates next to Timeout), or null. The
    /// managed runtime hands a Stream handler no deadline, so queued work and the schedule read theirs from this.
    /// </summary>
    public TimeSpan? FunctionTimeout { get; init; }

    /// <summary>Base64 HMAC key that signs session state (SESSION_SIGNING_KEY); a random per-container key when unset.</summary>
    public string? SessionSigningKey { get; init; }

    /// <summary>Salt mixed into hashed user and speaker ids (ID_HASH_SALT).</summary>
    public string IdHashSalt { get; init; } = "";

    /// <summary>The raw environment, for capabilities that read settings of their own.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The longest response budget accepted: Alexa stops waiting at 8 seconds.</summary>
    public static readonly TimeSpan MaxResponseBudget = TimeSpan.FromSeconds(8);

    /// <summary>Reads the configuration from a set of environment variables.</summary>
    public static SkillConfig FromEnvironment(IReadOnlyDictionary<string, string> env, bool requireSkillId = true)
    {
        var budget = Millis(env, "RESPONSE_BUDGET_MS", 7000);
        if (budget > MaxResponseBudget) budget = MaxResponseBudget;
        var margin = Millis(env, "DEADLINE_MARGIN_MS", 800);
        // A margin that eats the whole budget would cancel every request at once.
        if (margin >= budget) margin = budget / 4;
        return new()
        {
            SkillId = NullIfEmpty(env.GetValueOrDefault("SKILL_ID")),
            RequireSkillId = requireSkillId,
            ResponseBudget = budget,
            DeadlineMargin = margin,
            FunctionTimeout = int.TryParse(env.GetValueOrDefault("FUNCTION_TIMEOUT_SECONDS"), NumberStyles.Integer,
                CultureInfo.InvariantCulture, out var timeout) && timeout is > 0 and <= 900 ? TimeSpan.FromSeconds(timeout) : null,
            SessionSigningKey = NullIfEmpty(env.GetValueOrDefault("SESSION_SIGNING_KEY")),
            IdHashSalt = env.GetValueOrDefault("ID_HASH_SALT") ?? "",
            Environment = env,
        };
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string ?? "";
        return result;
    }

    /// <summary>An integer setting, or the default when unset or unreadable.</summary>
    public int Int(string name, int fallback) =>
        int.TryParse(Environment.GetValueOrDefault(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>A boolean setting ("true"/"false"/"1"/"0"), or the default.</summary>
    public bool Bool(string name, bool fallback) => Environment.GetValueOrDefault(name)?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => fallback,
    };

    /// <summary>A string setting, or the default when unset or empty.</summary>
    public string String(string name, string fallback) => NullIfEmpty(Environment.GetValueOrDefault(name)) ?? fallback;

    /// <summary>A string setting, or null when unset or empty.</summary>
    public string? Optional(string name) => NullIfEmpty(Environment.GetValueOrDefault(name));

    private static TimeSpan Millis(IReadOnlyDictionary<string, string> env, string name, int fallback) =>
        TimeSpan.FromMilliseconds(int.TryParse(env.GetValueOrDefault(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            && v > 0 ? v : fallback);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
