using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The request's context block.</summary>
internal sealed class RequestContext
{
    [JsonPropertyName("System")] public SystemContext? System { get; set; }
}
