using System.Text.Json.Serialization;

namespace SecurityAlexa.Blocking;

/// <summary>Source-generated JSON for what this capability keeps in the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BlockingMemory))]
internal sealed partial class BlockingJsonContext : JsonSerializerContext;
