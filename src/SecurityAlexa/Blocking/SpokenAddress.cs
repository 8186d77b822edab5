using System.Globalization;
using System.Text;

namespace SecurityAlexa.Blocking;

/// <summary>
/// An address or CIDR as Alexa hears it ("two oh three dot zero dot one one three dot five slash twenty four",
/// "203.0.113.5", "2001:db8::/48") turned into its written form. Strict: a word it does not know, a group of
/// more than three digits or a missing part makes the whole thing unreadable, never a guess.
/// </summary>
internal static class SpokenAddress
{
    private static readonly Dictionary<string, int> Digits = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["oh"] = 0, ["o"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["〇"] = 0, ["零"] = 0, ["ゼロ"] = 0, ["一"] = 1, ["二"] = 2, ["三"] = 3, ["四"] = 4, ["五"] = 5, ["六"] = 6, ["七"] = 7,
        ["八"] = 8, ["九"] = 9,
    };

    private static readonly Dictionary<string, int> Teens = new(StringComparer.Ordinal)
    {
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16,
        ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.Ordinal)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80,
        ["ninety"] = 90,
    };

    private static readonly HashSet<string> Dots = new(StringComparer.Ordinal) { ".", "dot", "point", "ドット", "てん", "点", "。" };

    private static readonly HashSet<string> Slashes = new(StringComparer.Ordinal) { "/", "slash", "スラッシュ" };

    /// <summary>The written address or CIDR, or null when the words are not exactly one.</summary>
    public static string? Read(string? heard)
    {
        if (string.IsNullOrWhiteSpace(heard)) return null;
        var text = Narrow(heard).Trim().ToLowerInvariant();
        if (text.Length > 100) return null;
        // IPv6 is only ever read in its written form: spoken hexadecimal is too easy to mishear.
        if (text.Contains(':', StringComparison.Ordinal)) return text.Replace(" ", "", StringComparison.Ordinal);

        var groups = new List<List<string>> { new() };
        var slashes = 0;
        foreach (var token in Tokens(text))
        {
            if (Dots.Contains(token))
            {
                if (slashes > 0) return null;
                groups.Add([]);
            }
            else if (Slashes.Contains(token))
            {
                if (++slashes > 1) return null;
                groups.Add([]);
            }
            else if (token is "and" or "-") continue;
            else groups[^1].Add(token);
        }

        var octetCount = slashes == 1 ? groups.Count - 1 : groups.Count;
        if (octetCount != 4) return null;
        var numbers = new List<int>();
        foreach (var group in groups)
        {
            if (ReadNumber(group) is not { } n) return null;
            numbers.Add(n);
        }
        if (numbers.Take(4).Any(n => n > 255)) return null;
        var written = string.Join(".", numbers.Take(4).Select(n => n.ToString(CultureInfo.InvariantCulture)));
        if (slashes == 0) return written;
        return numbers[4] > 32 ? null : written + "/" + numbers[4].ToString(CultureInfo.InvariantCulture);
    }

    // Full-width digits and signs ("２０３．０") as their ASCII forms; by hand, since the function runs with invariant globalization.
    private static string Narrow(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] is >= '\uFF01' and <= '\uFF5E' ? (char)(source[i] - 0xFEE0) : source[i] == '\u3000' ? ' ' : source[i];
        });

    // Splits on spaces, and around dots and slashes that are written between digits ("203.0.113.5/24").
    private static IEnumerable<string> Tokens(string text)
    {
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '.' or '/' or '。' or ',')
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                if (c is '.' or '/' or '。') yield return c.ToString();
                continue;
            }
            // Japanese digits run together without spaces ("二〇三"): each is a word of its own.
            if (Digits.ContainsKey(c.ToString()) && !char.IsAsciiLetter(c) && !char.IsAsciiDigit(c))
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                yield return c.ToString();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    // One part: "203", "two oh three", "two hundred and three", "twenty four"; anything else is null.
    private static int? ReadNumber(List<string> words)
    {
        if (words.Count == 0) return null;
        if (words.Count == 1 && words[0].All(char.IsAsciiDigit))
            return words[0].Length is >= 1 and <= 3 ? int.Parse(words[0], CultureInfo.InvariantCulture) : null;

        // Digit by digit: "two oh three", "1 1 3".
        if (words.All(w => Digits.ContainsKey(w) || w is [>= '0' and <= '9']))
        {
            if (words.Count > 3) return null;
            return words.Aggregate(0, (n, w) => n * 10 + (Digits.TryGetValue(w, out var d) ? d : w[0] - '0'));
        }

        // As a number: [digit hundred] [tens] [digit] or [teen].
        var i = 0;
        var value = 0;
        if (words.Count > 1 && Digits.TryGetValue(words[0], out var h) && h > 0 && words[1] == "hundred")
        {
            value = h * 100;
            i = 2;
        }
        if (i < words.Count && Teens.TryGetValue(words[i], out var teen))
        {
            value += teen;
            i++;
        }
        else
        {
            if (i < words.Count && Tens.TryGetValue(words[i], out var ten))
            {
                value += ten;
                i++;
            }
            if (i < words.Count && Digits.TryGetValue(words[i], out var unit) && unit > 0 && words[i] is not ("oh" or "o"))
            {
                value += unit;
                i++;
            }
        }
        return i == words.Count && i > 0 ? value : null;
    }
}
