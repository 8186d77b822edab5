using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>
/// Reads and writes <see cref="SessionState"/> in Alexa session attributes, signed with HMAC-SHA256
/// over the session id and the state, so that a client-edited attribute is detected and ignored.
/// </summary>
internal sealed class SessionStore
{
    /// <summary>The session attribute name.</summary>
    public const string AttributeName = "securityAlexa";

    private readonly byte[] _key;

    public SessionStore(byte[] key)
    {
        if (key.Length < 16) throw new ArgumentException("The signing key must be at least 16 bytes.", nameof(key));
        _key = key;
    }

    /// <summary>A store with the configured key, or a random key for this container.</summary>
    public static SessionStore FromConfig(SkillConfig config) => FromConfig(config, out _);

    /// <summary>
    /// A store with the configured key, or a random key for this container; <paramref name="problem"/>
    /// says why the configured key was not used ("missing", "not-base64", "too-short"), or is null.
    /// </summary>
    public static SessionStore FromConfig(SkillConfig config, out string? problem)
    {
        problem = "missing";
        if (config.SessionSigningKey is { } b64)
        {
            try
            {
                var key = Convert.FromBase64String(b64);
                if (key.Length >= 16)
                {
                    problem = null;
                    return new SessionStore(key);
                }
                problem = "too-short";
            }
            catch (FormatException)
            {
                problem = "not-base64";
            }
        }
        // Without a shared key, state survives only while Alexa stays on this container; the
        // failure mode is a repeated question, never an unsigned action.
        return new SessionStore(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The outcome of reading state.</summary>
    public enum ReadOutcome
    {
        /// <summary>No state was present.</summary>
        None,
        /// <summary>Valid state was read.</summary>
        Valid,
        /// <summary>State was present but its signature or shape was wrong; it was ignored.</summary>
        Rejected,
    }

    /// <summary>Reads the state; anything unsigned, tampered or malformed yields an empty state.</summary>
    public (SessionState State, ReadOutcome Outcome) Read(Session? session)
    {
        if (session?.Attributes is not { } attributes || !attributes.TryGetValue(AttributeName, out var element))
            return (new SessionState(), ReadOutcome.None);
        try
        {
            var signed = element.Deserialize(SkillJsonContext.Default.SignedState);
            // A client can send nulls where strings belong; that is tampering, not a crash.
            if (signed is null || signed.Version != 1 || signed.Data is null || signed.Signature is null) return (new SessionState(),
                ReadOutcome.Rejected);
            var expected = Sign(session.SessionId, signed.Data);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signed.Signature)))
                return (new SessionState(), ReadOutcome.Rejected);
            var state = JsonSerializer.Deserialize(signed.Data, SkillJsonContext.Default.SessionState);
            return state is null ? (new SessionState(), ReadOutcome.Rejected) : (state, ReadOutcome.Valid);
        }
        catch (JsonException)
        {
            return (new SessionState(), ReadOutcome.Rejected);
        }
        catch (InvalidOperationException)
        {
            return (new SessionState(), ReadOutcome.Rejected);
        }
    }

    /// <summary>The session attributes that carry this state, or null when there is nothing to carry.</summary>
    public Dictionary<string, JsonElement>? Write(string? sessionId, SessionState state)
    {
        if (state.IsEmpty) return null;
        var data = JsonSerializer.Serialize(state, SkillJsonContext.Wire.SessionState);
        var signed = new SignedState { Data = data, Signature = Sign(sessionId, data) };
        return new Dictionary<string, JsonElement>
        {
            [AttributeName] = JsonSerializer.SerializeToElement(signed, SkillJsonContext.Wire.SignedState),
        };
    }

    private string Sign(string? sessionId, string data)
    {
        var bytes = Encoding.UTF8.GetBytes((sessionId ?? "") + "\n" + data);
        return Convert.ToBase64String(HMACSHA256.HashData(_key, bytes));
    }
}
