using System.Security.Cryptography;
using SecurityAlexa.Security;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// The sandbox's KMS key for the security code's hash: a ciphertext is an opaque random handle that only this
/// key turns back into what was encrypted, as a KMS ciphertext is to anyone without kms:Decrypt.
/// </summary>
internal sealed class SandboxCodeHashKey : ICodeHashKey
{
    /// <summary>The pepper the sandbox's demo code is hashed with (the runner sets SECURITY_CODE_PEPPER to it with --sandbox).</summary>
    public const string DemoPepper = "sandbox-demo-pepper-not-a-secret";

    private readonly Dictionary<string, byte[]> _plaintexts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Encrypts, returning the ciphertext as the parameter stores it (base64).</summary>
    public string Encrypt(byte[] plaintext)
    {
        var handle = RandomNumberGenerator.GetBytes(32);
        lock (_gate) _plaintexts[Convert.ToBase64String(handle)] = [.. plaintext];
        return Convert.ToBase64String(handle);
    }

    /// <inheritdoc />
    public Task<byte[]?> DecryptAsync(byte[] ciphertext, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_plaintexts.TryGetValue(Convert.ToBase64String(ciphertext), out var p) ? (byte[]?)[.. p] : null);
    }
}
