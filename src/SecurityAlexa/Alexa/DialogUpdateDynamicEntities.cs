using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Teaches Alexa slot values for this session (for example the account's real tag values).</summary>
internal sealed class DialogUpdateDynamicEntities : Directive
{
    [JsonIgnore] public override string Type => "Dialog.UpdateDynamicEntities";
    [JsonPropertyName("updateBehavior")] public string UpdateBehavior { get; set; } = "REPLACE";
    [JsonPropertyName("types")] public List<DynamicSlotType>? Types { get; set; }
}
