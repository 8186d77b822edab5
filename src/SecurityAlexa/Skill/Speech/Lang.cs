using System.Globalization;
using System.Text;

namespace SecurityAlexa.Skill.Speech;

/// <summary>
/// The phrases of one locale, and the one place where numbers, plurals, lists, durations and times
/// are turned into words.
/// </summary>
internal sealed class Lang
{
    private readonly Dictionary<string, string> _phrases;
    private readonly Dictionary<string, string> _fallback;

    internal Lang(string locale, Dictionary<string, string> phrases, Dictionary<string, string> fallback)
    {
        Locale = locale;
        _phrases = phrases;
        _fallback = fallback;
        Culture = CultureInfo.InvariantCulture;
    }

    /// <summary>The locale these phrases are for.</summary>
    public string Locale { get; }

    private CultureInfo Culture { get; }

    /// <summary>True when the phrase exists in this locale or the fallback.</summary>
    public bool Has(string key) => _phrases.ContainsKey(key) || _fallback.ContainsKey(key);

    /// <summary>The raw template of a phrase.</summary>
    public string Template(string key) =>
        _phrases.TryGetValue(key, out var t) ? t
        : _fallback.TryGetValue(key, out var f) ? f
        : throw new KeyNotFoundException($"No phrase '{key}' for {Locale}.");

    /// <summary>A phrase with its {placeholders} filled. Spoken values keep their markup; anything else is escaped.</summary>
    public Spoken Say(string key, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var template = Template(key);
        var parts = new List<Spoken>();
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end > i)
                {
                    var name = template[(i + 1)..end];
                    if (TryFind(args, name, out var value))
                    {
                        if (literal.Length > 0) { parts.Add(Spoken.Plain(literal.ToString())); literal.Clear(); }
                        parts.Add(Render(value));
                        i = end;
                        continue;
                    }
                    throw new FormatException($"Phrase '{key}' needs a value for {{{name}}}.");
                }
            }
            literal.Append(c);
        }
        if (literal.Length > 0) parts.Add(Spoken.Plain(literal.ToString()));
        return Spoken.Concat(parts);
    }

    /// <summary>The plain text of a phrase (for cards and logs).</summary>
    public string Text(string key, params ReadOnlySpan<(string Name, object? Value)> args) => Say(key, args).Text;

    /// <summary>
    /// "1 instance", "3 instances", "3台": the noun's forms come from the phrase "noun.{noun}" as "one|other",
    /// and their order and spacing from "format.count".
    /// </summary>
    public string Count(int n, string noun) => Text("format.count", ("n", n), ("noun", Noun(n, noun)));

    /// <summary>The noun alone in the form that fits n.</summary>
    public string Noun(int n, string noun)
    {
        var forms = Template("noun." + noun).Split('|');
        return n == 1 || forms.Length == 1 ? forms[0] : forms[1];
    }

    /// <summary>A number as Alexa should read it.</summary>
    public string Number(long n) => n.ToString(Culture);

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public string List(IEnumerable<string> items) => ListWith(items, Template("list.and"));

    /// <summary>"a, b or c".</summary>
    public string ListOr(IEnumerable<string> items) => ListWith(items, Template("list.or"));

    /// <summary>The first few items, then "and 7 more".</summary>
    public string ListSome(IReadOnlyCollection<string> items, int max)
    {
        if (items.Count <= max) return List(items);
        var shown = items.Take(max).ToList();
        shown.Add(Text("list.more", ("count", items.Count - max)));
        return List(shown);
    }

    /// <summary>The most characters of a name from outside (a Name tag) that is said aloud.</summary>
    public const int MaxSpokenName = 40;

    /// <summary>The most characters of a title from outside (a ticket's) that is said aloud.</summary>
    public const int MaxSpokenTitle = 80;

    /// <summary>
    /// Text from outside cut to at most <paramref name="max"/> characters, at a character boundary and ending in an ellipsis,
    /// so that one long tag or title never makes a long answer.
    /// </summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text[..Math.Max(0, max - 1)];
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1])) cut = cut[..^1];
        return cut.TrimEnd() + "…";
    }

    // "a, b and c" or "a、b、c": the separator and the way the last item joins are phrases of the locale.
    private string ListWith(IEnumerable<string> items, string conjunction)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => Text("list.join", ("rest", string.Join(Template("list.separator"), list.Take(list.Count - 1))),
                ("conjunction", conjunction), ("last", list[^1])),
        };
    }

    /// <summary>A duration in the largest sensible unit: "45 seconds", "14 minutes", "2 hours", "3 days".</summary>
    public string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalMinutes < 1) return Count((int)span.TotalSeconds, "second");
        if (span.TotalHours < 1) return Count((int)Math.Round(span.TotalMinutes), "minute");
        if (span.TotalDays < 2) return Count((int)Math.Round(span.TotalHours), "hour");
        return Count((int)Math.Round(span.TotalDays), "day");
    }

    /// <summary>"2 hours ago", or "just now".</summary>
    public string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var span = now - then;
        return span.TotalMinutes < 1 ? Template("time.justNow") : Text("time.ago", ("duration", Duration(span)));
    }

    /// <summary>A time of day in UTC, as "10:42" or "10時42分" (the format is the phrase "time.clockFormat").</summary>
    public string Clock(DateTimeOffset time) => time.UtcDateTime.ToString(Template("time.clockFormat"), Culture);

    private static bool TryFind(ReadOnlySpan<(string Name, object? Value)> args, string name, out object? value)
    {
        foreach (var (n, v) in args)
        {
            if (n == name) { value = v; return true; }
        }
        value = null;
        return false;
    }

    private Spoken Render(object? value) => value switch
    {
        null => Spoken.Empty,
        Spoken s => s,
        int i => Spoken.Plain(Number(i)),
        long l => Spoken.Plain(Number(l)),
        IFormattable f => Spoken.Plain(f.ToString(null, Culture)),
        _ => Spoken.Plain(value.ToString() ?? ""),
    };
}
