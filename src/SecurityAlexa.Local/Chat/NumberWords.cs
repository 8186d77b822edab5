using System.Globalization;

namespace SecurityAlexa.Local.Chat;

/// <summary>Turns spoken numbers ("twenty one", "three", "21") into digits, as Alexa does for number slots.</summary>
internal static class NumberWords
{
    private static readonly Dictionary<string, int> Units = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["oh"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13,
        ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.Ordinal)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    /// <summary>Reads an AMAZON.NUMBER value: digits, or words up to the millions ("two hundred and five").</summary>
    public static bool TryParseNumber(IReadOnlyList<string> words, out long value)
    {
        value = 0;
        if (words.Count == 0) return false;
        if (words.Count == 1 && long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;

        long total = 0, current = 0;
        var any = false;
        foreach (var word in words)
        {
            if (word == "and" && any) continue;
            if (word is "a" && !any) { current = 1; any = true; continue; }
            if (Units.TryGetValue(word, out var unit)) current += unit;
            else if (Tens.TryGetValue(word, out var ten)) current += ten;
            else if (word == "hundred") current = (current == 0 ? 1 : current) * 100;
            else if (word == "thousand") { total += (current == 0 ? 1 : current) * 1000; current = 0; }
            else if (word == "million") { total += (current == 0 ? 1 : current) * 1_000_000; current = 0; }
            else return false;
            any = true;
        }
        value = total + current;
        return any;
    }

    /// <summary>Reads an AMAZON.FOUR_DIGIT_NUMBER value: "1234", "one two three four", or "twelve thirty four".</summary>
    public static bool TryParseFourDigits(IReadOnlyList<string> words, out string digits)
    {
        digits = "";
        if (words.Count == 1 && words[0].Length == 4 && words[0].All(char.IsAsciiDigit))
        {
            digits = words[0];
            return true;
        }
        // Digit by digit ("one two three four") or in pairs ("twelve thirty four").
        var text = "";
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (word.All(char.IsAsciiDigit)) { text += word; i++; continue; }
            if (Tens.TryGetValue(word, out var ten))
            {
                var pair = ten;
                if (i + 1 < words.Count && Units.TryGetValue(words[i + 1], out var u) && u is > 0 and < 10) { pair += u; i++; }
                text += pair.ToString(CultureInfo.InvariantCulture);
                i++;
                continue;
            }
            if (Units.TryGetValue(word, out var unit)) { text += unit.ToString(CultureInfo.InvariantCulture); i++; continue; }
            return false;
        }
        if (text.Length != 4) return false;
        digits = text;
        return true;
    }
}
