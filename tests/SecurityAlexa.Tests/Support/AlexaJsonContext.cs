using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>
/// System.Text.Json's reading of the Alexa contract (the attributes on the types in src/SecurityAlexa/Alexa), kept in the
/// tests only: the function reads requests with SkillRequestReader and writes responses with SkillResponseWriter, and
/// tests hold both to this. In the function its metadata cost more at cold start than the reading and writing (issue 18).
/// </summary>
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
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AlexaJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context for JSON we send: the same contract, but without escaping non-ASCII text and SSML's
    /// angle brackets as \uXXXX (six bytes each), which would waste Alexa's 24 KB and make a Japanese
    /// response three times larger. Safe because this JSON is never embedded in HTML.
    /// </summary>
    public static AlexaJsonContext Wire => WireHolder.Instance;

    // A nested type initialises on first use, after the generated Default exists.
    private static class WireHolder
    {
        internal static readonly AlexaJsonContext Instance =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
