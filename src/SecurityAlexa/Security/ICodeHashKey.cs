namespace SecurityAlexa.Security;

/// <summary>
/// The customer managed KMS key the security code's hash is encrypted under. Only the function's role may
/// decrypt with it (its key policy), so reading the parameter alone does not give the hash away.
/// </summary>
internal interface ICodeHashKey
{
    /// <summary>
    /// Decrypts a ciphertext made for <see cref="SecurityCodeHash.EncryptionContext"/>; null when the key
    /// refuses it (another key, another context, or a damaged ciphertext).
    /// </summary>
    Task<byte[]?> DecryptAsync(byte[] ciphertext, CancellationToken cancellationToken);
}
