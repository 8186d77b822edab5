using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The canonical value and its synonyms.</summary>
internal sealed class DynamicSlotName
{
    [JsonPropertyName("value")] public string Value { get; set; } = "";
    [JsonPropertyName("synonyms")] public List<string>? Synonyms { get; set; }
}
