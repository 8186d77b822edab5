using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Security;

namespace SecurityAlexa.Aws;

/// <summary><see cref="ICodeHashKey"/> over KMS Decrypt, pinned to the stack's key and the code's encryption context.</summary>
internal sealed class KmsCodeHashKey(Func<IAmazonKeyManagementService> kms, string keyId) : ICodeHashKey
{
    /// <inheritdoc />
    public async Task<byte[]?> DecryptAsync(byte[] ciphertext, CancellationToken cancellationToken)
    {
        var response = await AwsCall.RunAsync<DecryptResponse?>(AwsOperations.KmsDecrypt, async ct =>
        {
            try
            {
                // KeyId pins the key: a ciphertext made under any other key (even one this role may use) is refused.
                return await kms().DecryptAsync(new DecryptRequest
                {
                    CiphertextBlob = new MemoryStream(ciphertext),
                    KeyId = keyId,
                    EncryptionContext = new Dictionary<string, string>(SecurityCodeHash.EncryptionContext, StringComparer.Ordinal),
                }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidCiphertextException or IncorrectKeyException)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
        return response?.Plaintext?.ToArray();
    }
}
