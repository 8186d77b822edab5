using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Asks the user to confirm one slot value.</summary>
internal sealed class DialogConfirmSlot : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ConfirmSlot";
    [JsonPropertyName("slotToConfirm")] public string SlotToConfirm { get; set; } = "";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}
