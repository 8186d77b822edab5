using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SecurityAlexa.Security;

/// <summary>
/// The stored form of the spoken security code: "pbkdf2-sha256$iterations$salt$hash" (base64 parts).
/// A four-digit code has only 10,000 values, so the hash alone would not keep it secret; it is stored
/// as a SecureString and guessing is stopped by the lockout. The hash keeps the code itself out of
/// Parameter Store, the console and backups.
/// </summary>
internal static class SecurityCodeHash
{
    /// <summary>The iterations new hashes use.</summary>
    public const int DefaultIterations = 210_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int MinIterations = 1_000;
    private const int MaxIterations = 5_000_000;

    /// <summary>Hashes a code with a fresh random salt.</summary>
    public static string Create(string code, int iterations = DefaultIterations)
    {
        if (!IsWellFormed(code)) throw new ArgumentException("A security code is exactly four digits.", nameof(code));
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(code, salt, iterations);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt),
            Convert.ToBase64String(hash));
    }

    /// <summary>True for exactly four ASCII digits.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: 4 } && code.All(char.IsAsciiDigit);

    /// <summary>True when the stored value is one this code understands.</summary>
    public static bool IsValidStoredForm(string? stored) => TryParse(stored, out _, out _, out _);

    /// <summary>True when the code matches the stored hash; a malformed stored value matches nothing.</summary>
    public static bool Verify(string code, string stored)
    {
        if (!IsWellFormed(code) || !TryParse(stored, out var iterations, out var salt, out var expected)) return false;
        return CryptographicOperations.FixedTimeEquals(Derive(code, salt, iterations), expected);
    }

    private static byte[] Derive(string code, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, iterations, HashAlgorithmName.SHA256, 32);

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
