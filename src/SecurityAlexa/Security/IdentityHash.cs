using System.Security.Cryptography;
using System.Text;

namespace SecurityAlexa.Security;

/// <summary>Hashes Alexa user and person ids so that logs and configuration never hold them in clear.</summary>
internal static class IdentityHash
{
    /// <summary>A stable, salted SHA-256 of an id as 32 lower-case hex characters, or null for no id.</summary>
    public static string? Of(string? id, string salt = "")
    {
        if (string.IsNullOrEmpty(id)) return null;
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(salt + "|" + id));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}
