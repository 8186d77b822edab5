using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill.Speech;

/// <summary>
/// Every phrase the skill can say, per locale. Phrases live in Speech.{locale}.json files beside the
/// capability that says them, embedded in the assembly, and are loaded once per container.
/// </summary>
internal sealed class SpeechCatalog
{
    /// <summary>The locale used when a request's locale has no phrases, or a phrase is missing.</summary>
    public const string DefaultLocale = "en-US";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLocale;
    private readonly Dictionary<string, Lang> _langs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public SpeechCatalog(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> phrasesByLocale)
    {
        _byLocale = phrasesByLocale.ToFrozenDictionary(
            kv => kv.Key,
            kv => kv.Value.ToFrozenDictionary(StringComparer.Ordinal),
            StringComparer.OrdinalIgnoreCase);
        if (!_byLocale.ContainsKey(DefaultLocale))
            throw new InvalidOperationException($"No {DefaultLocale} phrases were found.");
    }

    /// <summary>The locales that have phrases.</summary>
    public IEnumerable<string> Locales => _byLocale.Keys;

    /// <summary>All phrase keys of a locale.</summary>
    public IEnumerable<string> Keys(string locale) =>
        _byLocale.TryGetValue(locale, out var phrases) ? phrases.Keys : [];

    /// <summary>The phrases for a locale, falling back to en-US phrase by phrase.</summary>
    public Lang For(string? locale)
    {
        var key = locale is not null && _byLocale.ContainsKey(locale) ? locale : DefaultLocale;
        lock (_gate)
        {
            if (!_langs.TryGetValue(key, out var lang))
            {
                lang = new Lang(key, _byLocale[key], _byLocale[DefaultLocale]);
                _langs[key] = lang;
            }
            return lang;
        }
    }

    /// <summary>Loads every embedded Speech.{locale}.json; a key defined twice in one locale is a build defect.</summary>
    public static SpeechCatalog LoadEmbedded()
    {
        var assembly = typeof(SpeechCatalog).Assembly;
        var byLocale = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith("speech/", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)) continue;
            var locale = LocaleOf(name);
            using var stream = assembly.GetManifestResourceStream(name)!;
            var phrases = JsonSerializer.Deserialize(stream, AlexaJsonContext.Default.DictionaryStringString)
                ?? throw new InvalidOperationException($"{name} is empty.");
            if (!byLocale.TryGetValue(locale, out var merged)) byLocale[locale] = merged = new(StringComparer.Ordinal);
            foreach (var (key, value) in phrases)
            {
                if (!merged.TryAdd(key, value))
                    throw new InvalidOperationException($"Phrase '{key}' is defined twice for {locale} (again in {name}).");
            }
        }
        return new SpeechCatalog(byLocale.ToDictionary(
            kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value, StringComparer.OrdinalIgnoreCase));
    }

    // "speech/Scanning/Speech.en-US.json" -> "en-US"
    private static string LocaleOf(string resourceName)
    {
        var file = resourceName[(resourceName.LastIndexOf('/') + 1)..];
        var parts = file.Split('.');
        return parts.Length >= 3 ? parts[^2] : DefaultLocale;
    }
}
