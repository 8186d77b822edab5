using System.Globalization;

namespace SecurityAlexa.Local.Chat;

/// <summary>
/// What Alexa puts in AMAZON.DURATION and AMAZON.DATE slots for the phrases the local runner understands: ISO 8601
/// durations ("six hours" is PT6H, "a week" is P1W) and dates ("yesterday" is a date, "this week" is 2026-W49,
/// "this month" is 2026-12). As Alexa does, a bare weekday is the next one on or after today.
/// </summary>
internal static class SpokenTimes
{
    private static readonly (string Word, string Iso)[] EnglishUnits =
    [
        ("second", "S"), ("seconds", "S"), ("minute", "M"), ("minutes", "M"), ("hour", "H"), ("hours", "H"),
        ("day", "D"), ("days", "D"), ("week", "W"), ("weeks", "W"), ("month", "MO"), ("months", "MO"), ("year", "Y"), ("years", "Y"),
    ];

    private static readonly (string Word, string Iso)[] JapaneseUnits =
        [("秒", "S"), ("分", "M"), ("時間", "H"), ("日間", "D"), ("日", "D"), ("週間", "W"),
            ("ヶ月", "MO"), ("か月", "MO"), ("カ月", "MO"), ("年間", "Y"), ("年", "Y")];

    private static readonly string[] EnglishDays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly string[] JapaneseDays = ["日曜", "月曜", "火曜", "水曜", "木曜", "金曜", "土曜"];

    /// <summary>An English duration ("6 hours", "six hours", "a day", "hour") as ISO 8601.</summary>
    public static bool TryParseDuration(IReadOnlyList<string> words, out string iso)
    {
        iso = "";
        if (words.Count == 0) return false;
        var unit = EnglishUnits.FirstOrDefault(u => u.Word == words[^1]).Iso;
        if (unit is null) return false;
        long n = 1;
        var count = words.Take(words.Count - 1).ToList();
        if (count is ["a"] or ["an"] or ["one"] or []) n = 1;
        else if (!NumberWords.TryParseNumber(count, out n)) return false;
        iso = Iso(n, unit);
        return true;
    }

    /// <summary>A Japanese duration ("6時間", "六時間", "2日", "1週間") as ISO 8601.</summary>
    public static bool TryParseJapaneseDuration(string text, out string iso)
    {
        iso = "";
        foreach (var (word, unit) in JapaneseUnits)
        {
            if (!text.EndsWith(word, StringComparison.Ordinal) || text.Length == word.Length) continue;
            if (!NumberWords.TryParseJapanese(text[..^word.Length], out var n)) continue;
            iso = Iso(n, unit);
            return true;
        }
        return false;
    }

    /// <summary>An English date phrase ("yesterday", "monday", "this week", "last week", "this month") as Alexa sends it.</summary>
    public static bool TryParseDate(IReadOnlyList<string> words, DateTimeOffset now, out string value)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var phrase = string.Join(' ', words);
        var day = Array.IndexOf(EnglishDays, phrase);
        value = phrase switch
        {
            "today" => Date(today),
            "yesterday" => Date(today.AddDays(-1)),
            "this week" => Week(today),
            "last week" => Week(today.AddDays(-7)),
            "this month" => today.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "this year" => today.Year.ToString(CultureInfo.InvariantCulture),
            "now" => "PRESENT_REF",
            _ when day >= 0 => Date(NextOnOrAfter(today, (DayOfWeek)day)),
            _ => "",
        };
        return value.Length > 0;
    }

    /// <summary>A Japanese date phrase ("昨日", "今週", "先週", "今月", "月曜日") as Alexa sends it.</summary>
    public static bool TryParseJapaneseDate(string text, DateTimeOffset now, out string value)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var day = Array.FindIndex(JapaneseDays, d => text == d || text == d + "日");
        value = text switch
        {
            "今日" or "きょう" => Date(today),
            "昨日" or "きのう" => Date(today.AddDays(-1)),
            "今週" => Week(today),
            "先週" => Week(today.AddDays(-7)),
            "今月" => today.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "今年" => today.Year.ToString(CultureInfo.InvariantCulture),
            "今" => "PRESENT_REF",
            _ when day >= 0 => Date(NextOnOrAfter(today, (DayOfWeek)day)),
            _ => "",
        };
        return value.Length > 0;
    }

    private static string Iso(long n, string unit) => unit switch
    {
        "H" or "M" or "S" => "PT" + n.ToString(CultureInfo.InvariantCulture) + unit,
        "MO" => "P" + n.ToString(CultureInfo.InvariantCulture) + "M",
        _ => "P" + n.ToString(CultureInfo.InvariantCulture) + unit,
    };

    private static DateOnly NextOnOrAfter(DateOnly today, DayOfWeek day) => today.AddDays(((int)day - (int)today.DayOfWeek + 7) % 7);

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Week(DateOnly day)
    {
        var at = day.ToDateTime(TimeOnly.MinValue);
        return ISOWeek.GetYear(at).ToString(CultureInfo.InvariantCulture) + "-W"
            + ISOWeek.GetWeekOfYear(at).ToString("00", CultureInfo.InvariantCulture);
    }
}
