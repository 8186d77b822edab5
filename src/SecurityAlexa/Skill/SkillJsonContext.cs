using System.Text.Json.Serialization;

namespace SecurityAlexa.Skill;

/// <summary>Source-generated JSON for the skill's own state.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionState))]
[JsonSerializable(typeof(SignedState))]
internal sealed partial class SkillJsonContext : JsonSerializerContext;
