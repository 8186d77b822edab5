using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The Amazon account that owns the device.</summary>
internal sealed class User
{
    [JsonPropertyName("userId")] public string? UserId { get; set; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; set; }
}
