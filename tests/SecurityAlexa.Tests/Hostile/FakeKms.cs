using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Moq;

namespace SecurityAlexa.Tests.Hostile;

/// <summary>
/// A strict Moq of IAmazonKeyManagementService playing the stack's SecurityCodeKey: a ciphertext is an opaque
/// handle that decrypts only with this key's id and the encryption context it was made with, as KMS does
/// (InvalidCiphertextException otherwise). Encrypt is set up for seeding only: the function never calls it.
/// </summary>
public sealed class FakeKms
{
    public const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/0a0b0c0d-1111-2222-3333-444455556666";

    private readonly Dictionary<string, (byte[] Plain, Dictionary<string, string> Context)> _ciphertexts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public FakeKms()
    {
        Mock.Setup(k => k.DecryptAsync(It.IsAny<DecryptRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DecryptRequest r, CancellationToken _) => Task.FromResult(Decrypt(r)));
    }

    public Mock<IAmazonKeyManagementService> Mock { get; } = new(MockBehavior.Strict);

    /// <summary>The Decrypt calls made.</summary>
    public IReadOnlyList<DecryptRequest> Decrypts => Mock.Invocations.Where(i => i.Method.Name == "DecryptAsync").Select(i => (DecryptRequest)i.Arguments[0]!).ToList();

    /// <summary>What hash-code would store: the text encrypted under this key with the given context, base64.</summary>
    public string Encrypt(string plaintext, IReadOnlyDictionary<string, string> context)
    {
        var handle = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        lock (_gate) _ciphertexts[handle] = (System.Text.Encoding.UTF8.GetBytes(plaintext), new Dictionary<string, string>(context, StringComparer.Ordinal));
        return handle;
    }

    private DecryptResponse Decrypt(DecryptRequest request)
    {
        var handle = Convert.ToBase64String(request.CiphertextBlob.ToArray());
        lock (_gate)
        {
            var context = request.EncryptionContext ?? [];
            if (request.KeyId != KeyArn || !_ciphertexts.TryGetValue(handle, out var entry)
                || entry.Context.Count != context.Count || entry.Context.Any(kv => context.GetValueOrDefault(kv.Key) != kv.Value))
                throw new InvalidCiphertextException("The ciphertext is invalid for this key and context (test).")
                    { StatusCode = System.Net.HttpStatusCode.BadRequest, ErrorCode = "InvalidCiphertextException", ErrorType = ErrorType.Sender };
            return new DecryptResponse
            {
                KeyId = KeyArn,
                Plaintext = new MemoryStream(entry.Plain),
                ResponseMetadata = new ResponseMetadata { RequestId = "kms-" + Decrypts.Count.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) },
            };
        }
    }
}
