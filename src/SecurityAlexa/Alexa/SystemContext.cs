using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>context.System: who, where and how to call back.</summary>
internal sealed class SystemContext
{
    [JsonPropertyName("application")] public Application? Application { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("device")] public Device? Device { get; set; }
    [JsonPropertyName("person")] public Person? Person { get; set; }
    [JsonPropertyName("unit")] public Unit? Unit { get; set; }
    [JsonPropertyName("apiEndpoint")] public string? ApiEndpoint { get; set; }
    [JsonPropertyName("apiAccessToken")] public string? ApiAccessToken { get; set; }
}
