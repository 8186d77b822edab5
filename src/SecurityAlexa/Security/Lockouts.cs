using System.Text.Json;

namespace SecurityAlexa.Security;

/// <summary>
/// Wrong-code counts and lockouts per speaker, kept in Parameter Store at {prefix}/lockout/{speakerHash}
/// so that every container sees them. Two wrong codes given at the same instant on two devices could
/// count once; a voice conversation is sequential, so that is accepted.
/// </summary>
internal sealed class Lockouts(IParameterStore store, SecuritySettings settings)
{
    /// <summary>The parameter that holds a speaker's record.</summary>
    public string ParameterFor(string who) => settings.ParameterPrefix + "/lockout/" + who;

    /// <summary>The speaker's current record; expired counts and locks read as a clean record.</summary>
    public async Task<LockoutRecord> ReadAsync(string who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var raw = await store.GetAsync(ParameterFor(who), decrypt: false, cancellationToken).ConfigureAwait(false);
        if (raw is null) return new LockoutRecord();
        LockoutRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(raw, SecurityJsonContext.Default.LockoutRecord);
        }
        catch (JsonException)
        {
            // An unreadable record is treated as a lock rather than ignored: someone has edited it.
            return new LockoutRecord { Failures = settings.MaxCodeAttempts, FirstFailure = now, LockedUntil = now + settings.LockFor };
        }
        if (record is null) return new LockoutRecord();
        if (record.LockedUntil is { } until) return until > now ? record : new LockoutRecord();
        return record.FirstFailure + settings.LockFor > now ? record : new LockoutRecord();
    }

    /// <summary>Counts one wrong code and returns the new record, locked when the limit is reached.</summary>
    public async Task<LockoutRecord> RecordFailureAsync(string who, LockoutRecord current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = current.Failures + 1;
        var first = current.Failures == 0 ? now : current.FirstFailure;
        var next = new LockoutRecord
        {
            Failures = failures,
            FirstFailure = first,
            LockedUntil = failures >= settings.MaxCodeAttempts ? now + settings.LockFor : null,
        };
        var expires = next.LockedUntil ?? first + settings.LockFor;
        await store.PutAsync(ParameterFor(who), JsonSerializer.Serialize(next, SecurityJsonContext.Default.LockoutRecord), expires, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Forgets the wrong codes after a correct one.</summary>
    public Task ClearAsync(string who, CancellationToken cancellationToken) => store.DeleteAsync(ParameterFor(who), cancellationToken);
}

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
