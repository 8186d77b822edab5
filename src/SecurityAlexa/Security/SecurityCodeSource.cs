using System.Text;

namespace SecurityAlexa.Security;

/// <summary>
/// Reads the security code's hash: the SecureString holds the hash's KMS ciphertext (base64, as
/// <c>aws kms encrypt</c> and the runner's <c>hash-code</c> print it), which is decrypted under the stack's
/// key. The decrypted hash is kept in memory for a short time per container (SECURITY_CODE_CACHE_SECONDS),
/// so that a burst of turns costs one GetParameter and one Decrypt.
/// </summary>
internal sealed class SecurityCodeSource(IParameterStore store, ICodeHashKey? key, SecuritySettings settings)
{
    private readonly Lock _gate = new();
    private (StoredCode Value, DateTimeOffset Until)? _cached;

    /// <summary>The stored hash, decrypted, or why there is none to check against.</summary>
    public async Task<StoredCode> GetAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cached is { } c && c.Until > now) return c.Value;
        }
        var value = await ReadAsync(cancellationToken).ConfigureAwait(false);
        // Only a usable hash is kept: a parameter being fixed is seen on the next turn.
        if (value.Hash is not null) lock (_gate) _cached = (value, now + settings.CodeCacheFor);
        return value;
    }

    private async Task<StoredCode> ReadAsync(CancellationToken cancellationToken)
    {
        var raw = await store.GetAsync(settings.CodeParameter, decrypt: true, cancellationToken).ConfigureAwait(false);
        if (raw is null) return StoredCode.Missing;
        if (SecurityCodeHash.IsUnencrypted(raw)) return StoredCode.Unencrypted;
        if (key is null) return StoredCode.NoKey;
        byte[] ciphertext;
        try
        {
            ciphertext = Convert.FromBase64String(raw.Trim());
        }
        catch (FormatException)
        {
            return StoredCode.Undecryptable;
        }
        if (ciphertext.Length == 0) return StoredCode.Undecryptable;
        var plain = await key.DecryptAsync(ciphertext, cancellationToken).ConfigureAwait(false);
        if (plain is null) return StoredCode.Undecryptable;
        var hash = Encoding.UTF8.GetString(plain);
        return SecurityCodeHash.IsValidStoredForm(hash) ? new StoredCode("ok", hash) : StoredCode.Undecryptable;
    }
}

/// <summary>The decrypted hash, or a short reason (for the log) why there is none.</summary>
internal sealed record StoredCode(string Status, string? Hash)
{
    /// <summary>The parameter does not exist.</summary>
    public static readonly StoredCode Missing = new("missing", null);

    /// <summary>The parameter holds a hash in clear: refused, since a reader of the parameter could search it.</summary>
    public static readonly StoredCode Unencrypted = new("unencrypted", null);

    /// <summary>No key is configured (SECURITY_CODE_KMS_KEY).</summary>
    public static readonly StoredCode NoKey = new("no-key", null);

    /// <summary>The key refused the ciphertext, or it did not hold a hash.</summary>
    public static readonly StoredCode Undecryptable = new("undecryptable", null);
}
