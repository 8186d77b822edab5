using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>One slot type's values for Dialog.UpdateDynamicEntities.</summary>
internal sealed class DynamicSlotType
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("values")] public List<DynamicSlotValue> Values { get; set; } = [];
}
