namespace SecurityAlexa.Security;

/// <summary>Reads the security code hash from its SecureString parameter, kept for a short time per container.</summary>
internal sealed class SecurityCodeSource(IParameterStore store, SecuritySettings settings)
{
    private readonly Lock _gate = new();
    private (string? Value, DateTimeOffset Until)? _cached;

    /// <summary>The stored hash, or null when the parameter does not exist.</summary>
    public async Task<string?> GetAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cached is { } c && c.Until > now) return c.Value;
        }
        var value = await store.GetAsync(settings.CodeParameter, decrypt: true, cancellationToken).ConfigureAwait(false);
        lock (_gate) _cached = (value, now + settings.CodeCacheFor);
        return value;
    }
}
