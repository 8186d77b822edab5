using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The device that heard the request.</summary>
internal sealed class Device
{
    [JsonPropertyName("deviceId")] public string? DeviceId { get; set; }
    [JsonPropertyName("supportedInterfaces")] public Dictionary<string, JsonElement>? SupportedInterfaces { get; set; }
}
