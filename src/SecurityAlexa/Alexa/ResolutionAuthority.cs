using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The result of one resolution authority (static or dynamic entities).</summary>
internal sealed class ResolutionAuthority
{
    [JsonPropertyName("authority")] public string? Authority { get; set; }
    [JsonPropertyName("status")] public ResolutionStatus? Status { get; set; }
    [JsonPropertyName("values")] public List<ResolutionValueWrapper>? Values { get; set; }
}
