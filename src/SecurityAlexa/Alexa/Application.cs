using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The skill the request is addressed to.</summary>
internal sealed class Application
{
    [JsonPropertyName("applicationId")] public string? ApplicationId { get; set; }
}
