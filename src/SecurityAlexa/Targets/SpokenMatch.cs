using System.Globalization;
using System.Text;

namespace SecurityAlexa.Targets;

/// <summary>
/// Compares what Alexa heard with what is really in the account. Spoken words never match AWS tags
/// exactly, so both sides are reduced to the same form before they are compared.
/// </summary>
internal static class SpokenMatch
{
    private static readonly IReadOnlyDictionary<string, int> Units = new Dictionary<string, int>
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly IReadOnlyDictionary<string, int> Tens = new Dictionary<string, int>
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80,
            ["ninety"] = 90,
    };

    // Words people say for the short forms teams put in tags; each maps to one canonical word.
    private static readonly IReadOnlyDictionary<string, string> Synonyms = new Dictionary<string, string>
    {
        ["production"] = "prod", ["prd"] = "prod", ["live"] = "prod",
        ["development"] = "dev", ["develop"] = "dev",
        ["stage"] = "staging", ["stg"] = "staging",
        ["testing"] = "test",
        ["env"] = "environment",
        ["database"] = "db",
    };

    /// <summary>Lower-case words with separators dropped, number words as digits and plurals made singular.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var raw = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) word.Append(char.ToLowerInvariant(c));
            else if (word.Length > 0) { raw.Add(word.ToString()); word.Clear(); }
        }
        if (word.Length > 0) raw.Add(word.ToString());

        var words = new List<string>(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            var w = raw[i];
            if (Tens.TryGetValue(w, out var tens))
            {
                // "twenty one" is 21, "twenty" alone is 20.
                if (i + 1 < raw.Count && Units.TryGetValue(raw[i + 1], out var unit) && unit is > 0 and < 10)
                {
                    words.Add((tens + unit).ToString(CultureInfo.InvariantCulture));
                    i++;
                }
                else words.Add(tens.ToString(CultureInfo.InvariantCulture));
            }
            else if (Units.TryGetValue(w, out var n)) words.Add(n.ToString(CultureInfo.InvariantCulture));
            else words.Add(Singular(w));
        }
        return words;
    }

    /// <summary>The words run together: "Web-Server 1", "web server one" and "web_server_1" are all "webserver1".</summary>
    public static string Compact(string text) => string.Concat(Words(text));

    /// <summary>How closely what was heard fits a real value.</summary>
    public static MatchTier Compare(string heard, string real)
    {
        var heardCompact = Compact(heard);
        var realCompact = Compact(real);
        if (heardCompact.Length == 0 || realCompact.Length == 0) return MatchTier.None;
        if (heardCompact == realCompact) return MatchTier.Same;
        var heardWords = CanonicalWords(heard);
        var realWords = CanonicalWords(real);
        if (string.Concat(heardWords) == string.Concat(realWords)) return MatchTier.Synonym;
        if (ContainsRun(realWords, heardWords)) return MatchTier.Partial;
        if (ContainsRun(heardWords, realWords) && string.Concat(realWords).Length >= 2) return MatchTier.Contained;
        return MatchTier.None;
    }

    private static List<string> CanonicalWords(string text) =>
        Words(text).Select(w => Synonyms.TryGetValue(w, out var canonical) ? canonical : w).ToList();

    // True when needle's words appear in order, next to each other, in haystack (and it is shorter).
    private static bool ContainsRun(List<string> haystack, List<string> needle)
    {
        if (needle.Count == 0 || needle.Count >= haystack.Count) return false;
        for (var start = 0; start + needle.Count <= haystack.Count; start++)
        {
            var all = true;
            for (var j = 0; j < needle.Count && all; j++) all = haystack[start + j] == needle[j];
            if (all) return true;
        }
        return false;
    }

    private static string Singular(string w)
    {
        if (w.Length <= 3 || w.All(char.IsDigit)) return w;
        if (w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.EndsWith("ss", StringComparison.Ordinal) || w.EndsWith("us", StringComparison.Ordinal)) return w;
        return w.EndsWith('s') ? w[..^1] : w;
    }
}
