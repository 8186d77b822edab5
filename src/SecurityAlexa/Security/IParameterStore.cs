namespace SecurityAlexa.Security;

/// <summary>
/// Parameter Store as the security layer reads it: the security code's hash lives in a SecureString.
/// Nothing is written there any more: claims and lockouts live in the state table (docs/state.md).
/// </summary>
internal interface IParameterStore
{
    /// <summary>The parameter's value (decrypted when asked), or null when it does not exist.</summary>
    Task<string?> GetAsync(string name, bool decrypt, CancellationToken cancellationToken);
}
