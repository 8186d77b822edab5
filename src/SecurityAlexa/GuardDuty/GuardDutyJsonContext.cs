using System.Text.Json.Serialization;

namespace SecurityAlexa.GuardDuty;

/// <summary>Source-generated JSON for what this capability keeps in the session.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GuardDutyMemory))]
internal sealed partial class GuardDutyJsonContext : JsonSerializerContext;
