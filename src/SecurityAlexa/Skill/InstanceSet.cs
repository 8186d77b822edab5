namespace SecurityAlexa.Skill;

/// <summary>How large instance sets are carried in the session: by tag, size and digest instead of ids.</summary>
internal static class InstanceSet
{
    /// <summary>The most instance ids one remembered set carries (about 20 bytes each, plus a name).</summary>
    public const int MaxIds = 50;

    /// <summary>Names kept for speech ("web-1, web-2 and 998 more") when the ids are left out.</summary>
    public const int SampleNames = 5;

    /// <summary>An order-independent digest of a set of ids.</summary>
    public static string Digest(IEnumerable<string> ids)
    {
        var text = string.Join('\n', ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))
            .AsSpan(0, 16));
    }
}
