using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The organisational unit a device belongs to (Alexa Smart Properties).</summary>
internal sealed class Unit
{
    [JsonPropertyName("unitId")] public string? UnitId { get; set; }
    [JsonPropertyName("persistentUnitId")] public string? PersistentUnitId { get; set; }
}
