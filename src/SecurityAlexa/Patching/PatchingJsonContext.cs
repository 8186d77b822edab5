using System.Text.Json.Serialization;

namespace SecurityAlexa.Patching;

/// <summary>Source-generated JSON for what this capability keeps in the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PatchMemory))]
internal sealed partial class PatchingJsonContext : JsonSerializerContext;
