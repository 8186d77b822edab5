using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Asks the user for one slot; the response's speech is the question.</summary>
internal sealed class DialogElicitSlot : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ElicitSlot";
    [JsonPropertyName("slotToElicit")] public string SlotToElicit { get; set; } = "";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}
