using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SecurityAlexa.Patching;

/// <summary>
/// The Comment on every command this skill sends. It lets status find the skill's own commands with
/// ListCommands, without a database, and ties the batches of one request together by a reference.
/// </summary>
internal static class PatchComment
{
    /// <summary>The start of every comment this skill writes.</summary>
    public const string Prefix = "SecurityAlexa patch ref ";

    /// <summary>A short reference derived from the Alexa request id, also written to the audit record.</summary>
    public static string ReferenceFor(string requestId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)).AsSpan(0, 4));

    /// <summary>The comment for batch <paramref name="part"/> of <paramref name="parts"/> (SSM allows 100 characters).</summary>
    public static string For(string reference, int part, int parts) =>
        parts <= 1 ? Prefix + reference : string.Create(CultureInfo.InvariantCulture, $"{Prefix}{reference} part {part} of {parts}");

    /// <summary>The batch number in a comment this skill wrote: i of "part i of n", or 1 for a run of one command.</summary>
    public static int PartOf(string comment)
    {
        var at = comment.LastIndexOf(" part ", StringComparison.Ordinal);
        if (at < 0) return 1;
        var rest = comment[(at + " part ".Length)..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return int.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var part) && part > 0
            ? part : 1;
    }

    /// <summary>The reference in a comment this skill wrote, or null for anyone else's command.</summary>
    public static string? ReferenceOf(string? comment)
    {
        if (comment is null || !comment.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = comment[Prefix.Length..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        var reference = end < 0 ? rest : rest[..end];
        return reference.Length == 0 ? null : reference;
    }
}
