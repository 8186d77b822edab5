using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Wrapper object Alexa puts around each resolved value.</summary>
internal sealed class ResolutionValueWrapper
{
    [JsonPropertyName("value")] public ResolutionValue? Value { get; set; }
}
