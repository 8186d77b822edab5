using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A directive in a response. Unknown types read back as this base class.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(DialogDelegate), "Dialog.Delegate")]
[JsonDerivedType(typeof(DialogElicitSlot), "Dialog.ElicitSlot")]
[JsonDerivedType(typeof(DialogConfirmSlot), "Dialog.ConfirmSlot")]
[JsonDerivedType(typeof(DialogConfirmIntent), "Dialog.ConfirmIntent")]
[JsonDerivedType(typeof(DialogUpdateDynamicEntities), "Dialog.UpdateDynamicEntities")]
[JsonDerivedType(typeof(VoicePlayerSpeak), "VoicePlayer.Speak")]
[JsonDerivedType(typeof(AplRenderDocument), AplRenderDocument.TypeName)]
internal class Directive
{
    /// <summary>The wire type name.</summary>
    [JsonIgnore] public virtual string Type => "Unknown";
}
