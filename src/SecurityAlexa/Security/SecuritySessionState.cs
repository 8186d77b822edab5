using System.Text.Json.Serialization;

namespace SecurityAlexa.Security;

/// <summary>The security slice of the signed session state: a correct code, remembered briefly for one speaker.</summary>
internal sealed record SecuritySessionState
{
    /// <summary>The hashed speaker (or user, when no speaker is recognised) who gave the code.</summary>
    [JsonPropertyName("who")] public string Who { get; init; } = "";

    /// <summary>Until when no code is asked again in this session.</summary>
    [JsonPropertyName("until")] public DateTimeOffset VerifiedUntil { get; init; }
}

/// <summary>A speaker's wrong codes and lockout, as read from the state table.</summary>
internal sealed record LockoutRecord
{
    /// <summary>Wrong codes counted in the speaker's open window.</summary>
    public int Failures { get; init; }

    /// <summary>True while the window in which wrong codes are counted is open.</summary>
    public bool WindowOpen { get; init; }

    /// <summary>How many times the speaker was locked out within the escalation memory.</summary>
    public long Level { get; init; }

    /// <summary>When set, mutating intents are refused for this speaker until then.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>True when the hour's wrong codes from everyone reached the total limit: everyone is locked.</summary>
    public bool Everyone { get; init; }

    /// <summary>True when this wrong code was the one that locked everyone.</summary>
    public bool EveryoneLockedNow { get; init; }
}

/// <summary>Source-generated JSON for the security layer's slice of the session state.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SecuritySessionState))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
