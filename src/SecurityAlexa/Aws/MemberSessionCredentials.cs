using Amazon.Runtime;

namespace SecurityAlexa.Aws;

/// <summary>
/// A member account's credentials as the SDK and SigV4SigningHandler see them: resolved on every signed request
/// through <see cref="MemberCredentialCache"/>, so a client built once keeps working across refreshes.
/// </summary>
internal sealed class MemberSessionCredentials(MemberCredentialCache cache, string accountId, string identity) : AWSCredentials
{
    /// <summary>The account whose role these credentials assume.</summary>
    public string AccountId { get; } = accountId;

    /// <summary>The session name and source identity.</summary>
    public string Identity { get; } = identity;

    /// <inheritdoc />
    public override Task<ImmutableCredentials> GetCredentialsAsync() => cache.GetAsync(AccountId, Identity, CancellationToken.None);

    /// <inheritdoc />
    // The SDK signs asynchronously on .NET; this synchronous path exists only for callers that insist on it.
    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();
}
