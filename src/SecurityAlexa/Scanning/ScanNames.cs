using System.Globalization;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Scanning;

/// <summary>
/// Names the skill gives its CIS scans: "SecurityAlexa-{key}-{value}-{yyyyMMddTHHmmssZ}". The name is how
/// a later "what did the scan find?" finds the scan again without a database.
/// </summary>
internal static class ScanNames
{
    /// <summary>The prefix of every scan the skill starts.</summary>
    public const string Prefix = "SecurityAlexa-";

    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const int MaxLength = 128;

    /// <summary>The name for a scan of a tag started at a moment.</summary>
    public static string For(TagSelector tag, DateTimeOffset startedAt)
    {
        var name = PrefixFor(tag) + startedAt.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);
        // CIS scan names are at most 128 characters; a long tag is cut in the middle, never the stamp.
        return name.Length <= MaxLength ? name : name[..(MaxLength - 16)] + name[^16..];
    }

    /// <summary>The prefix shared by every scan of a tag.</summary>
    public static string PrefixFor(TagSelector tag) => Prefix + tag.Key + "-" + tag.Value + "-";

    /// <summary>
    /// True when the name is exactly this tag's scan name plus a stamp, so that scans of
    /// "prod-eu" are not taken for scans of "prod".
    /// </summary>
    public static bool IsScanOf(string? name, TagSelector tag)
    {
        var prefix = PrefixFor(tag);
        return name is not null && name.StartsWith(prefix, StringComparison.Ordinal) && IsStamp(name[prefix.Length..]);
    }

    /// <summary>True when the name is one the skill gave.</summary>
    public static bool IsOurs(string? name) =>
        name is not null && name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length + 16 && IsStamp(name[^16..]);

    private static bool IsStamp(string s) =>
        DateTime.TryParseExact(s, StampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);
}
