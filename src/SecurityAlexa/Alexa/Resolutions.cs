using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Entity resolution results for a slot.</summary>
internal sealed class Resolutions
{
    [JsonPropertyName("resolutionsPerAuthority")] public List<ResolutionAuthority>? ResolutionsPerAuthority { get; set; }
}
