using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityAlexa.Alexa;

namespace SecurityAlexa.Skill;

/// <summary>The session attribute that carries the state, with its signature.</summary>
internal sealed class SignedState
{
    [JsonPropertyName("v")] public int Version { get; set; } = 1;
    [JsonPropertyName("data")] public string Data { get; set; } = "";
    [JsonPropertyName("sig")] public string Signature { get; set; } = "";
}
