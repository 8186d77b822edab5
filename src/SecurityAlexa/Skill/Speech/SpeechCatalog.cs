using System.Reflection;
using System.Text.Json;

namespace SecurityAlexa.Skill.Speech;

/// <summary>
/// Every phrase the skill can say, per locale. Phrases live in Speech.{locale}.json files beside the
/// capability that says them, embedded in the assembly, and are loaded once per container.
/// </summary>
internal sealed class SpeechCatalog
{
    /// <summary>The locale used when a request's locale has no phrases, or a phrase is missing.</summary>
    public const string DefaultLocale = "en-US";

    private static readonly Lazy<SpeechCatalog> SharedEmbedded = new(LoadEmbedded);

    /// <summary>The embedded catalogue, one per container: the pipeline and the event handlers share its parsed locales.</summary>
    public static SpeechCatalog Embedded => SharedEmbedded.Value;

    // A locale's phrases are parsed on its first request: a cold start in en-US pays nothing for ja-JP (docs/performance.md).
    private readonly Dictionary<string, Func<Dictionary<string, string>>> _sources;
    private readonly Dictionary<string, Dictionary<string, string>> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Lang> _langs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public SpeechCatalog(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> phrasesByLocale)
        : this(phrasesByLocale.ToDictionary(
            kv => kv.Key,
            kv => (Func<Dictionary<string, string>>)(() => new Dictionary<string, string>(kv.Value, StringComparer.Ordinal)),
            StringComparer.OrdinalIgnoreCase))
    {
    }

    private SpeechCatalog(Dictionary<string, Func<Dictionary<string, string>>> sources)
    {
        _sources = sources;
        if (!_sources.ContainsKey(DefaultLocale))
            throw new InvalidOperationException($"No {DefaultLocale} phrases were found.");
    }

    /// <summary>The locales that have phrases.</summary>
    public IEnumerable<string> Locales => _sources.Keys;

    /// <summary>All phrase keys of a locale.</summary>
    public IEnumerable<string> Keys(string locale)
    {
        if (!_sources.ContainsKey(locale)) return [];
        lock (_gate) return Phrases(locale).Keys;
    }

    /// <summary>The phrases for a locale, falling back to en-US phrase by phrase.</summary>
    public Lang For(string? locale)
    {
        var key = locale is not null && _sources.ContainsKey(locale) ? locale : DefaultLocale;
        lock (_gate)
        {
            if (!_langs.TryGetValue(key, out var lang))
            {
                lang = new Lang(key, Phrases(key), Phrases(DefaultLocale));
                _langs[key] = lang;
            }
            return lang;
        }
    }

    // Under _gate.
    private Dictionary<string, string> Phrases(string locale)
    {
        if (!_loaded.TryGetValue(locale, out var phrases)) _loaded[locale] = phrases = _sources[locale]();
        return phrases;
    }

    /// <summary>
    /// Every embedded Speech.{locale}.json, each locale parsed when first asked for; a key defined twice in one locale
    /// is a build defect, found when that locale is loaded.
    /// </summary>
    public static SpeechCatalog LoadEmbedded()
    {
        var assembly = typeof(SpeechCatalog).Assembly;
        var namesByLocale = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith("speech/", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)) continue;
            var locale = LocaleOf(name);
            if (!namesByLocale.TryGetValue(locale, out var names)) namesByLocale[locale] = names = [];
            names.Add(name);
        }
        return new SpeechCatalog(namesByLocale.ToDictionary(
            kv => kv.Key,
            kv => (Func<Dictionary<string, string>>)(() => Load(assembly, kv.Key, kv.Value)),
            StringComparer.OrdinalIgnoreCase));
    }

    private static Dictionary<string, string> Load(Assembly assembly, string locale, List<string> names)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            foreach (var (key, value) in ReadPhrases(bytes, name))
            {
                if (!merged.TryAdd(key, value))
                    throw new InvalidOperationException($"Phrase '{key}' is defined twice for {locale} (again in {name}).");
            }
        }
        return merged;
    }

    /// <summary>
    /// One file's flat object of phrases, read with <see cref="Utf8JsonReader"/>: System.Text.Json's metadata for the
    /// dictionary cost more than the reading on a cold start (issue 18). A key given twice in one file keeps its last value; a
    /// byte order mark is allowed; anything that is not one object of strings (a null phrase too) is refused, naming the file.
    /// </summary>
    internal static Dictionary<string, string> ReadPhrases(ReadOnlySpan<byte> json, string name)
    {
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            var phrases = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidOperationException($"{name} is not a JSON object of phrases.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    throw new InvalidOperationException($"Phrase '{key}' in {name} is not a string.");
                phrases[key] = reader.GetString()!;
            }
            if (reader.Read()) throw new InvalidOperationException($"{name} has more after its object of phrases.");
            return phrases;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{name} is not valid JSON: {e.Message}", e);
        }
    }

    // "speech/Scanning/Speech.en-US.json" -> "en-US"
    private static string LocaleOf(string resourceName)
    {
        var file = resourceName[(resourceName.LastIndexOf('/') + 1)..];
        var parts = file.Split('.');
        return parts.Length >= 3 ? parts[^2] : DefaultLocale;
    }
}
