using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Asks the user to confirm the whole intent; the answer returns as the same intent, CONFIRMED or DENIED.</summary>
internal sealed class DialogConfirmIntent : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ConfirmIntent";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}
