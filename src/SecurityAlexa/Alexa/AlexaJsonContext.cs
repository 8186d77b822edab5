using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Source-generated JSON metadata for the Alexa contract; no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    PropertyNameCaseInsensitive = false,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    MaxDepth = 64,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SkillRequest))]
[JsonSerializable(typeof(SkillResponse))]
[JsonSerializable(typeof(ProgressiveResponseBody))]
[JsonSerializable(typeof(Directive))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class AlexaJsonContext : JsonSerializerContext;
