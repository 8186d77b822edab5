using System.Globalization;
using System.Text;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The isolation record, kept in tags so that any later invocation can undo an isolation without a
/// database. The format is documented in docs/isolation.md; change both together.
/// </summary>
internal static class IsolationRecord
{
    /// <summary>On an instance: who isolated it (a hashed speaker, or the tag event).</summary>
    public const string IsolatedBy = SkillTags.Prefix + "IsolatedBy";

    /// <summary>On an instance: why it was isolated.</summary>
    public const string Reason = SkillTags.Prefix + "IsolationReason";

    /// <summary>On an instance: whether termination protection was on before ("true"/"false").</summary>
    public const string TerminationProtectionBefore = SkillTags.Prefix + "TerminationProtectionBefore";

    /// <summary>On a network interface: its original security group ids, space-separated (first part).</summary>
    public const string OriginalGroups = SkillTags.Prefix + "OriginalGroups";

    /// <summary>On a network interface: how many group ids the parts hold together, to detect a lost part.</summary>
    public const string OriginalGroupCount = SkillTags.Prefix + "OriginalGroupCount";

    /// <summary>On a snapshot: the instance it was taken of.</summary>
    public const string SnapshotOf = SkillTags.Prefix + "SnapshotOf";

    /// <summary>AWS's limit on a tag value.</summary>
    public const int MaxTagValue = 256;

    /// <summary>Group roles, as written in <see cref="SkillTags.GroupRole"/>.</summary>
    public const string IsolationRole = "isolation";

    /// <summary>The group that allows everything, used for a moment so that tracked flows become untracked.</summary>
    public const string AllowAllRole = "allow-all";

    /// <summary>The instance tags that mark an isolation in progress or done; removed on release.</summary>
    public static IReadOnlyList<string> InstanceMarkers { get; } = [SkillTags.IsolatedAt, IsolatedBy, Reason, TerminationProtectionBefore];

    /// <summary>The key of part n (1-based) of the original groups: the first part has no suffix.</summary>
    public static string OriginalGroupsPart(int n) => n == 1 ? OriginalGroups : OriginalGroups + ":"
        + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tags that record an interface's groups: whole ids in parts of at most 256 characters, and the count.</summary>
    public static Dictionary<string, string> ForInterface(IReadOnlyList<string> groupIds)
    {
        if (groupIds.Count == 0) throw new ArgumentException("An interface always has at least one security group.", nameof(groupIds));
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var part = new StringBuilder();
        var n = 1;
        foreach (var id in groupIds)
        {
            if (part.Length > 0 && part.Length + 1 + id.Length > MaxTagValue)
            {
                tags[OriginalGroupsPart(n++)] = part.ToString();
                part.Clear();
            }
            if (part.Length > 0) part.Append(' ');
            part.Append(id);
        }
        tags[OriginalGroupsPart(n)] = part.ToString();
        tags[OriginalGroupCount] = groupIds.Count.ToString(CultureInfo.InvariantCulture);
        return tags;
    }

    /// <summary>All record keys present on an interface (every part and the count), for removal.</summary>
    public static IReadOnlyList<string> InterfaceKeys(IReadOnlyDictionary<string, string> tags) =>
        tags.Keys.Where(k => k == OriginalGroupCount || k == OriginalGroups
            || k.StartsWith(OriginalGroups + ":", StringComparison.Ordinal)).ToList();

    /// <summary>Reads an interface's record: absent, unreadable (a part or the count is missing or wrong), or the groups.</summary>
    public static SavedGroups ReadInterface(IReadOnlyDictionary<string, string> tags)
    {
        var hasAny = InterfaceKeys(tags).Count > 0;
        if (!hasAny) return SavedGroups.None;
        if (!tags.TryGetValue(OriginalGroupCount, out var countText)
            || !int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            return SavedGroups.Unreadable;
        var ids = new List<string>();
        for (var n = 1; tags.TryGetValue(OriginalGroupsPart(n), out var part); n++)
            ids.AddRange(part.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (ids.Count != count || ids.Any(id => !id.StartsWith("sg-", StringComparison.Ordinal))) return SavedGroups.Unreadable;
        return new SavedGroups(SavedGroupsState.Saved, ids);
    }

    /// <summary>Reads a "true"/"false" tag value, or null when absent or unreadable.</summary>
    public static bool? ReadBool(IReadOnlyDictionary<string, string> tags, string key) =>
        tags.TryGetValue(key, out var v) && bool.TryParse(v, out var b) ? b : null;

    /// <summary>A time as the record writes it.</summary>
    public static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a recorded time, or null.</summary>
    public static DateTimeOffset? ReadTime(IReadOnlyDictionary<string, string> tags, string key) =>
        tags.TryGetValue(key, out var v)
            && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var t)
            ? t : null;

    /// <summary>
    /// A spoken reason made safe for a tag value: letters, digits, spaces and the characters every AWS
    /// service accepts in tags (+ - = . _ : / @), at most 256 characters.
    /// </summary>
    public static string CleanTagValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, MaxTagValue));
        foreach (var c in text.Trim())
        {
            if (sb.Length == MaxTagValue) break;
            sb.Append(char.IsLetterOrDigit(c) || c is ' ' or '+' or '-' or '=' or '.' or '_' or ':' or '/' or '@' ? c : ' ');
        }
        return sb.ToString().Trim();
    }

    /// <summary>The most a recorded reason keeps (the state table's record, the audit and the card hold it exactly).</summary>
    public const int MaxReason = 512;

    /// <summary>
    /// A reason as the state table's record keeps it: exact (a GuardDuty type such as Backdoor:EC2/C&amp;CActivity.B!DNS
    /// keeps its &amp; and !), trimmed, with control characters dropped, at most <see cref="MaxReason"/> characters.
    /// </summary>
    public static string CleanRecordValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, MaxReason));
        foreach (var c in text.Trim())
        {
            if (sb.Length == MaxReason) break;
            if (!char.IsControl(c)) sb.Append(c);
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// The Reason tag's form of a recorded reason: every character outside the set <see cref="CleanTagValue"/> keeps, and
    /// % itself, is written as %XX of its UTF-8 bytes ("C&amp;C" is "C%26C"), cut at 256 characters between escapes. It is a
    /// mirror for people reading tags in the console; the skill reads the reason from the state table, never from this tag.
    /// </summary>
    public static string TagFormOfReason(string? text)
    {
        var exact = CleanRecordValue(text);
        var sb = new StringBuilder(Math.Min(exact.Length * 3, MaxTagValue));
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < exact.Length; i++)
        {
            var c = exact[i];
            string piece;
            if (char.IsAsciiLetterOrDigit(c) || c is ' ' or '+' or '-' or '=' or '.' or '_' or ':' or '/' or '@') piece = c.ToString();
            else
            {
                var rune = char.IsHighSurrogate(c) && i + 1 < exact.Length ? new Rune(c, exact[++i])
                    : Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
                var n = rune.EncodeToUtf8(bytes);
                var escaped = new StringBuilder(n * 3);
                foreach (var b in bytes[..n]) escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                piece = escaped.ToString();
            }
            if (sb.Length + piece.Length > MaxTagValue) break;
            sb.Append(piece);
        }
        return sb.ToString().Trim();
    }

    /// <summary>The deterministic name of a skill group in a VPC (names are unique per VPC, which stops duplicates).</summary>
    public static string GroupName(string role, string vpcId) => "SecurityAlexa-" + role + "-" + vpcId;
}
