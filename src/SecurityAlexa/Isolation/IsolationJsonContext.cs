using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>Source-generated JSON for what this capability keeps in the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IsolationMemory))]
[JsonSerializable(typeof(IsolateInstanceWork))]
internal sealed partial class IsolationJsonContext : JsonSerializerContext;
