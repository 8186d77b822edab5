using System.Globalization;
using System.Text.RegularExpressions;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// How far back a findings question looks: 24 hours unless a duration ("in the last 6 hours", AMAZON.DURATION) or a
/// date ("since yesterday", "this week", "since Monday", AMAZON.DATE) was said, never further back than GuardDuty keeps
/// findings (90 days). Days start at midnight UTC: the skill does not know the device's time zone.
/// </summary>
internal sealed partial record FindingWindow
{
    /// <summary>How long GuardDuty keeps a finding.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>How far back a question without a time looks.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    // Alexa resolves a bare weekday forward ("since Monday" on a Friday is next Monday); within this many days it means the last one.
    private const int WeekdayLookAhead = 6;

    private FindingWindow(WindowKind kind, DateTimeOffset since, int count = 0, string? unit = null)
    {
        Kind = kind;
        Since = since;
        Count = count;
        Unit = unit;
    }

    /// <summary>
    /// What kind of window this is; <see cref="WindowKind.Future"/> and <see cref="WindowKind.Unreadable"/> are not asked of AWS.
    /// </summary>
    public WindowKind Kind { get; }

    /// <summary>The window's start (for a future date, that date).</summary>
    public DateTimeOffset Since { get; }

    // A span's count and unit noun key, as said ("6", "hour").
    private int Count { get; }

    private string? Unit { get; }

    /// <summary>True when AWS can be asked about this window.</summary>
    public bool Usable => Kind is WindowKind.Span or WindowKind.Date or WindowKind.Clamped;

    /// <summary>The window for a turn: the duration if one was heard, else the date, else the last 24 hours.</summary>
    /// <param name="duration">An AMAZON.DURATION value such as PT6H or P1W.</param>
    /// <param name="date">An AMAZON.DATE value such as 2026-12-06, 2026-W49 or 2026-12.</param>
    /// <param name="now">The turn's time.</param>
    public static FindingWindow Of(string? duration, string? date, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(duration)) return FromDuration(duration.Trim(), now);
        if (!string.IsNullOrWhiteSpace(date)) return FromDate(date.Trim(), now);
        return new FindingWindow(WindowKind.Span, now - Default, 24, "hour");
    }

    /// <summary>The window in words, with its preposition: "in the last 6 hours", "since Monday, November 30".</summary>
    public string Words(Lang lang) => Kind switch
    {
        WindowKind.Span when Count == 1 => lang.Text("guardduty.window.lastOne", ("unit", lang.Noun(1, Unit!))),
        WindowKind.Span => lang.Text("guardduty.window.last", ("span", lang.Count(Count, Unit!))),
        WindowKind.Clamped => lang.Text("guardduty.window.clamped", ("days", (int)Retention.TotalDays)),
        _ => lang.Text("guardduty.window.since", ("date", DateWords(lang, Since))),
    };

    /// <summary>A date as said: "Monday, November 30".</summary>
    public static string DateWords(Lang lang, DateTimeOffset at)
    {
        // Names come from the phrases: the function runs with invariant globalization, so cultures carry no names.
        var day = at.UtcDateTime;
        return lang.Text("guardduty.window.date", ("weekday", lang.Template("guardduty.window.weekdays").Split('|')[(int)day.DayOfWeek]),
            ("month", lang.Template("guardduty.window.months").Split('|')[day.Month - 1]), ("day", day.Day));
    }

    private static FindingWindow FromDuration(string value, DateTimeOffset now)
    {
        var m = DurationPattern().Match(value);
        if (!m.Success) return Unreadable(now);
        var parts = new (string Group, string Noun, TimeSpan Each)[]
        {
            ("y", "guardduty.year", TimeSpan.FromDays(365)), ("mo", "guardduty.month", TimeSpan.FromDays(30)),
            ("w", "guardduty.week", TimeSpan.FromDays(7)), ("d", "day", TimeSpan.FromDays(1)),
            ("h", "hour", TimeSpan.FromHours(1)), ("mi", "minute", TimeSpan.FromMinutes(1)),
            ("s", "guardduty.second", TimeSpan.FromSeconds(1)),
        };
        var span = TimeSpan.Zero;
        var said = new List<(int N, string Noun)>();
        foreach (var (group, noun, each) in parts)
        {
            if (!m.Groups[group].Success) continue;
            // Whole numbers only; a span past 90 days is clamped below, so large numbers need not be exact.
            if (!int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) n = int.MaxValue;
            if (n == 0) continue;
            span += n >= 100_000 ? Retention + Retention : each * n;
            said.Add((n, noun));
        }
        if (span <= TimeSpan.Zero) return Unreadable(now);
        if (span > Retention) return new FindingWindow(WindowKind.Clamped, now - Retention);
        // One unit is said as heard ("the last 2 weeks"); a mix is said in hours or minutes.
        if (said.Count == 1) return new FindingWindow(WindowKind.Span, now - span, said[0].N, said[0].Noun);
        return span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0
            ? new FindingWindow(WindowKind.Span, now - span, (int)span.TotalHours, "hour")
            : new FindingWindow(WindowKind.Span, now - span, Math.Max(1, (int)Math.Round(span.TotalMinutes)), "minute");
    }

    private static FindingWindow FromDate(string value, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly start;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            start = day;
            var ahead = start.DayNumber - today.DayNumber;
            if (ahead is > 0 and <= WeekdayLookAhead) start = start.AddDays(-7);
        }
        else if (WeekPattern().Match(value) is { Success: true } week)
        {
            var year = int.Parse(week.Groups["y"].Value, CultureInfo.InvariantCulture);
            var number = int.Parse(week.Groups["w"].Value, CultureInfo.InvariantCulture);
            if (number is < 1 or > 53) return Unreadable(now);
            var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
            start = week.Groups["we"].Success ? monday.AddDays(5) : monday;
        }
        else if (DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            start = month;
        }
        else if (value.Length == 4
            && DateOnly.TryParseExact(value, "yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var year))
        {
            start = year;
        }
        else
        {
            // PRESENT_REF ("now"), decades, seasons: nothing to look back from.
            return Unreadable(now);
        }

        var since = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (since > now) return new FindingWindow(WindowKind.Future, since);
        if (since < now - Retention) return new FindingWindow(WindowKind.Clamped, now - Retention);
        return new FindingWindow(WindowKind.Date, since);
    }

    private static FindingWindow Unreadable(DateTimeOffset now) => new(WindowKind.Unreadable, now);

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+)S)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-W(?<w>\d{1,2})(?<we>-WE)?$", RegexOptions.CultureInvariant)]
    private static partial Regex WeekPattern();
}

/// <summary>The kinds of <see cref="FindingWindow"/>.</summary>
internal enum WindowKind
{
    /// <summary>The last so many hours, days or weeks.</summary>
    Span,

    /// <summary>Since the start of a day, week, month or year.</summary>
    Date,

    /// <summary>Asked further back than GuardDuty keeps findings: the last 90 days.</summary>
    Clamped,

    /// <summary>A date still to come.</summary>
    Future,

    /// <summary>A value that is not a time to look back from.</summary>
    Unreadable,
}
