using System.Globalization;

namespace SecurityAlexa.Security;

/// <summary>
/// Reads a number as Alexa delivers it: usually digits ("3", "1234"), sometimes words from simulators
/// ("three", "one two three four", "twenty five").
/// </summary>
internal static class SpokenNumber
{
    private static readonly Dictionary<string, int> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["oh"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13,
        ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80,
            ["ninety"] = 90,
    };

    /// <summary>The largest count read: one tag-targeted SSM command reaches at most 50,000 instances.</summary>
    public const int MaxCount = 50_000;

    /// <summary>A count from 0 to <see cref="MaxCount"/> said as digits or words; false for anything else.</summary>
    public static bool TryParseCount(string? text, out int value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 60) return false;
        var trimmed = text.Trim();
        if (trimmed.All(char.IsAsciiDigit))
            return trimmed.Length <= 5 && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out value)
                && value <= MaxCount;

        var words = trimmed.Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.Equals("and", StringComparison.OrdinalIgnoreCase) && !w.Equals("a", StringComparison.OrdinalIgnoreCase))
                .ToList();
        if (words.Count == 0) return false;
        var total = 0;
        var current = 0;
        foreach (var word in words)
        {
            if (Units.TryGetValue(word, out var u)) current += u;
            else if (Tens.TryGetValue(word, out var t)) current += t;
            else if (word.Equals("hundred", StringComparison.OrdinalIgnoreCase)) current = Math.Max(current, 1) * 100;
            else if (word.Equals("thousand", StringComparison.OrdinalIgnoreCase)) { total += Math.Max(current, 1) * 1000; current = 0; }
            else return false;
        }
        value = total + current;
        return value <= MaxCount;
    }

    /// <summary>Four digits, whether said as "1234", "1 2 3 4" or "one two three four"; null otherwise.</summary>
    public static string? FourDigits(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 60) return null;
        var digits = new List<char>(4);
        foreach (var token in text.Trim().Split([' ', '-', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.All(char.IsAsciiDigit)) digits.AddRange(token);
            else if (Units.TryGetValue(token, out var u) && u <= 9) digits.Add((char)('0' + u));
            else return null;
        }
        return digits.Count == 4 ? new string([.. digits]) : null;
    }
}
