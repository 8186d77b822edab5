using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Lets Alexa run the next dialog step from the dialog model.</summary>
internal sealed class DialogDelegate : Directive
{
    [JsonIgnore] public override string Type => "Dialog.Delegate";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}
