using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The session block; absent for requests outside a session.</summary>
internal sealed class Session
{
    [JsonPropertyName("new")] public bool New { get; set; }
    [JsonPropertyName("sessionId")] public string? SessionId { get; set; }
    [JsonPropertyName("application")] public Application? Application { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("attributes")] public Dictionary<string, JsonElement>? Attributes { get; set; }
}
