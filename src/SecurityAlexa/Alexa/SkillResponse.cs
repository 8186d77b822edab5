using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The envelope returned to Alexa.</summary>
internal sealed class SkillResponse
{
    [JsonPropertyName("version")] public string Version { get; set; } = "1.0";
    [JsonPropertyName("sessionAttributes")] public Dictionary<string, JsonElement>? SessionAttributes { get; set; }
    [JsonPropertyName("response")] public ResponseBody Response { get; set; } = new();
}
