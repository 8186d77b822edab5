using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SecurityAlexa.Security;

/// <summary>
/// The security code's hash: "pbkdf2-sha256-pepper$iterations$salt$hash" (base64 parts), PBKDF2 over
/// HMAC-SHA256(pepper, code). A four-digit code has only 10,000 values, so a hash alone would fall to an
/// offline search in seconds; three things keep it from being one: the stored value is this text encrypted
/// under the stack's KMS key (only the function's role may decrypt it), the pepper lives outside Parameter
/// Store (SECURITY_CODE_PEPPER), and guessing online is stopped by the lockout. See docs/security.md.
/// </summary>
internal static class SecurityCodeHash
{
    /// <summary>The iterations new hashes use.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>The shortest pepper accepted: a short one could be searched together with the code.</summary>
    public const int MinPepperLength = 16;

    /// <summary>
    /// The KMS encryption context of the code's ciphertext: a ciphertext made for anything else does not
    /// decrypt as a code hash, and CloudTrail shows the purpose of every Decrypt.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> EncryptionContext =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["purpose"] = "securityalexa:security-code" };

    private const string Scheme = "pbkdf2-sha256-pepper";
    private const int MinIterations = 1_000;
    private const int MaxIterations = 5_000_000;

    /// <summary>Hashes a code with the pepper and a fresh random salt.</summary>
    public static string Create(string code, string pepper, int iterations = DefaultIterations)
    {
        if (!IsWellFormed(code)) throw new ArgumentException("A security code is exactly four digits.", nameof(code));
        if (!IsUsablePepper(pepper))
            throw new ArgumentException($"The pepper must be at least {MinPepperLength} characters.", nameof(pepper));
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(code, pepper, salt, iterations);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt),
            Convert.ToBase64String(hash));
    }

    /// <summary>True for exactly four ASCII digits.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: 4 } && code.All(char.IsAsciiDigit);

    /// <summary>True for a pepper long enough to use.</summary>
    public static bool IsUsablePepper(string? pepper) => pepper is { Length: >= MinPepperLength };

    /// <summary>True when the decrypted value is one this code understands.</summary>
    public static bool IsValidStoredForm(string? stored) => TryParse(stored, out _, out _, out _);

    /// <summary>
    /// True when the text is a code hash that was stored without KMS encryption (this form or the older
    /// unpeppered one): it is refused, since anyone who can read the parameter could search it.
    /// </summary>
    public static bool IsUnencrypted(string? stored) => stored?.TrimStart().StartsWith("pbkdf2-", StringComparison.Ordinal) == true;

    /// <summary>True when the code matches the stored hash under this pepper; a malformed stored value matches nothing.</summary>
    public static bool Verify(string code, string stored, string pepper)
    {
        if (!IsWellFormed(code) || !IsUsablePepper(pepper) || !TryParse(stored, out var iterations, out var salt, out var expected))
            return false;
        return CryptographicOperations.FixedTimeEquals(Derive(code, pepper, salt, iterations), expected);
    }

    private static byte[] Derive(string code, string pepper, byte[] salt, int iterations)
    {
        var peppered = HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper), Encoding.UTF8.GetBytes(code));
        return Rfc2898DeriveBytes.Pbkdf2(peppered, salt, iterations, HashAlgorithmName.SHA256, 32);
    }

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = stored?.Trim().Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < MinIterations or > MaxIterations) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && hash.Length == 32;
    }
}
