using System.Text.Json.Serialization;

namespace SecurityAlexa.Isolation;

/// <summary>Source-generated JSON for what this capability keeps in the session and in its isolation records.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IsolationMemory))]
[JsonSerializable(typeof(List<RecordedInterface>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IsolateInstanceWork))]
internal sealed partial class IsolationJsonContext : JsonSerializerContext;
