namespace SecurityAlexa.Security;

/// <summary>
/// The few Parameter Store operations the security layer needs: the code hash, lockouts and request
/// records live there so that every Lambda container sees the same state.
/// </summary>
internal interface IParameterStore
{
    /// <summary>The parameter's value (decrypted when asked), or null when it does not exist.</summary>
    Task<string?> GetAsync(string name, bool decrypt, CancellationToken cancellationToken);

    /// <summary>Creates or overwrites a parameter that Parameter Store deletes at <paramref name="expiresAt"/>.</summary>
    Task PutAsync(string name, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Creates a parameter only if none exists; false when it already did. Atomic across containers.</summary>
    Task<bool> TryCreateAsync(string name, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes a parameter; a missing one is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
