using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>Source-generated JSON for the skill's own state.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionState))]
[JsonSerializable(typeof(SignedState))]
internal sealed partial class SkillJsonContext : JsonSerializerContext
{
    // The signed state travels inside the response as a JSON string: quotes as \" rather than \u0022.
    internal static SkillJsonContext Wire => WireHolder.Instance;

    // A nested type initialises on first use, after the generated Default exists.
    private static class WireHolder
    {
        internal static readonly SkillJsonContext Instance =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
