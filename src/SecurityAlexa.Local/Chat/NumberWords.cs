using System.Globalization;
using System.Text;

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
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80,
            ["ninety"] = 90,
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

    private const string KanjiDigits = "〇一二三四五六七八九";

    /// <summary>
    /// Full-width ASCII ("ウェブ１", "１２３４") folded to plain ASCII, as Japanese input methods often type it. Done by
    /// hand: the runner may run with invariant globalization, where Unicode normalisation is not available.
    /// </summary>
    public static string FoldWidth(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            builder.Append(c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c == '\u3000' ? ' ' : c);
        return builder.ToString();
    }

    /// <summary>
    /// Reads a Japanese number as Alexa's ja-JP number slot delivers it: digits ("3", "12"), or kanji
    /// numerals ("三", "十二", "二百五", "千"), optionally with a counter after it ("3台").
    /// </summary>
    public static bool TryParseJapanese(string text, out long value)
    {
        value = 0;
        text = FoldWidth(text).Trim();
        foreach (var counter in new[] { "台", "件", "個", "つ" })
            if (text.Length > counter.Length && text.EndsWith(counter, StringComparison.Ordinal)) text = text[..^counter.Length];
        if (text.Length == 0) return false;
        if (text.All(char.IsAsciiDigit)) return text.Length <= 9
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        long total = 0, current = 0, section = 0;
        foreach (var c in text)
        {
            var digit = KanjiDigits.IndexOf(c, StringComparison.Ordinal);
            if (digit >= 0) { current = current * 10 + digit; continue; }
            long unit = c switch { '十' => 10, '百' => 100, '千' => 1000, _ => 0 };
            if (unit > 0) { section += (current == 0 ? 1 : current) * unit; current = 0; continue; }
            if (c == '万') { total += (section + current == 0 ? 1 : section + current) * 10_000; section = 0; current = 0; continue; }
            return false;
        }
        value = total + section + current;
        return true;
    }

    /// <summary>A four-digit code in Japanese: "1234", "１２３４" or digit by digit in kanji ("一二三四").</summary>
    public static bool TryParseJapaneseFourDigits(string text, out string digits)
    {
        digits = "";
        var builder = new System.Text.StringBuilder(4);
        foreach (var c in FoldWidth(text))
        {
            if (char.IsAsciiDigit(c)) builder.Append(c);
            else if (KanjiDigits.IndexOf(c, StringComparison.Ordinal) is var d and >= 0) builder.Append((char)('0' + d));
            else if (c == '零') builder.Append('0');
            else return false;
        }
        if (builder.Length != 4) return false;
        digits = builder.ToString();
        return true;
    }
}
