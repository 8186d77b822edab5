using System.Text.Json.Serialization;

namespace SecurityAlexa.Scanning;

/// <summary>Source-generated JSON for what this capability keeps in the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanMemory))]
internal sealed partial class ScanningJsonContext : JsonSerializerContext;
