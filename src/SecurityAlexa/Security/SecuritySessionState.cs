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
