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

/// <summary>A speaker's wrong codes and lockout, as stored in Parameter Store.</summary>
internal sealed record LockoutRecord
{
    /// <summary>Wrong codes counted since <see cref="FirstFailure"/>.</summary>
    [JsonPropertyName("failures")] public int Failures { get; init; }

    /// <summary>When the first counted wrong code was given.</summary>
    [JsonPropertyName("first")] public DateTimeOffset FirstFailure { get; init; }

    /// <summary>When set and in the future, mutating intents are refused for this speaker.</summary>
    [JsonPropertyName("lockedUntil")] public DateTimeOffset? LockedUntil { get; init; }
}

/// <summary>What a durable request record holds (for people reading Parameter Store).</summary>
internal sealed record RequestRecord
{
    /// <summary>The intent of the request.</summary>
    [JsonPropertyName("intent")] public string? Intent { get; init; }

    /// <summary>When the request was first seen.</summary>
    [JsonPropertyName("seen")] public DateTimeOffset Seen { get; init; }
}

/// <summary>Source-generated JSON for the security layer's stored records.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LockoutRecord))]
[JsonSerializable(typeof(SecuritySessionState))]
[JsonSerializable(typeof(RequestRecord))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
