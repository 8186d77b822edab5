using SecurityAlexa.Security;

namespace SecurityAlexa.Sandbox;

/// <summary>
/// Parameter Store for the sandbox: in memory (the security code's hash), with expiry by the sandbox clock.
/// </summary>
internal sealed class SandboxParameterStore(TimeProvider time) : IParameterStore
{
    /// <summary>The security code the sandbox accepts when SECURITY_CODE=mutating is tried locally.</summary>
    public const string DemoSecurityCode = "1234";

    private readonly Dictionary<string, (string Value, DateTimeOffset? ExpiresAt)> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// A store holding the demo security code's hash at the default parameter name, peppered with
    /// <see cref="SandboxCodeHashKey.DemoPepper"/> and encrypted under the sandbox's key, as hash-code stores it.
    /// </summary>
    public static SandboxParameterStore WithDemoCode(TimeProvider time, SandboxCodeHashKey key)
    {
        var store = new SandboxParameterStore(time);
        var hash = SecurityCodeHash.Create(DemoSecurityCode, SandboxCodeHashKey.DemoPepper, 10_000);
        store.Set(SecuritySettings.Default.CodeParameter, key.Encrypt(System.Text.Encoding.UTF8.GetBytes(hash)));
        return store;
    }

    /// <summary>Sets a parameter that never expires (for seeding).</summary>
    public void Set(string name, string value)
    {
        lock (_gate) _values[name] = (value, null);
    }

    /// <summary>The names currently stored (expired ones left out).</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (_gate) return _values.Where(kv => Live(kv.Value.ExpiresAt)).Select(kv => kv.Key).Order(StringComparer.Ordinal)
            .ToList(); }
    }

    /// <inheritdoc />
    public Task<string?> GetAsync(string name, bool decrypt, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_values.TryGetValue(name, out var v) && Live(v.ExpiresAt) ? v.Value : null);
    }

    private bool Live(DateTimeOffset? expiresAt) => expiresAt is null || expiresAt > time.GetUtcNow();
}
