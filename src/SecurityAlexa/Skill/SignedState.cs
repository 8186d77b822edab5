using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>The session attribute that carries the state, with its signature.</summary>
internal sealed class SignedState
{
    [JsonPropertyName("v")] public int Version { get; set; } = 1;
    [JsonPropertyName("data")] public string Data { get; set; } = "";
    [JsonPropertyName("sig")] public string Signature { get; set; } = "";
}
