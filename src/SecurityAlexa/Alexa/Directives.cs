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

/// <summary>Lets Alexa run the next dialog step from the dialog model.</summary>
internal sealed class DialogDelegate : Directive
{
    [JsonIgnore] public override string Type => "Dialog.Delegate";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}

/// <summary>Asks the user for one slot; the response's speech is the question.</summary>
internal sealed class DialogElicitSlot : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ElicitSlot";
    [JsonPropertyName("slotToElicit")] public string SlotToElicit { get; set; } = "";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}

/// <summary>Asks the user to confirm one slot value.</summary>
internal sealed class DialogConfirmSlot : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ConfirmSlot";
    [JsonPropertyName("slotToConfirm")] public string SlotToConfirm { get; set; } = "";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}

/// <summary>Asks the user to confirm the whole intent; the answer returns as the same intent, CONFIRMED or DENIED.</summary>
internal sealed class DialogConfirmIntent : Directive
{
    [JsonIgnore] public override string Type => "Dialog.ConfirmIntent";
    [JsonPropertyName("updatedIntent")] public Intent? UpdatedIntent { get; set; }
}

/// <summary>Teaches Alexa slot values for this session (for example the account's real tag values).</summary>
internal sealed class DialogUpdateDynamicEntities : Directive
{
    [JsonIgnore] public override string Type => "Dialog.UpdateDynamicEntities";
    [JsonPropertyName("updateBehavior")] public string UpdateBehavior { get; set; } = "REPLACE";
    [JsonPropertyName("types")] public List<DynamicSlotType>? Types { get; set; }
}

/// <summary>One slot type's values for Dialog.UpdateDynamicEntities.</summary>
internal sealed class DynamicSlotType
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("values")] public List<DynamicSlotValue> Values { get; set; } = [];
}

/// <summary>A dynamic entity value with synonyms.</summary>
internal sealed class DynamicSlotValue
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public DynamicSlotName Name { get; set; } = new();
}

/// <summary>The canonical value and its synonyms.</summary>
internal sealed class DynamicSlotName
{
    [JsonPropertyName("value")] public string Value { get; set; } = "";
    [JsonPropertyName("synonyms")] public List<string>? Synonyms { get; set; }
}

/// <summary>The directive sent in a progressive response.</summary>
internal sealed class VoicePlayerSpeak : Directive
{
    [JsonIgnore] public override string Type => "VoicePlayer.Speak";
    [JsonPropertyName("speech")] public string Speech { get; set; } = "";
}

/// <summary>The body posted to {apiEndpoint}/v1/directives.</summary>
internal sealed class ProgressiveResponseBody
{
    [JsonPropertyName("header")] public ProgressiveResponseHeader Header { get; set; } = new();
    // Declared as the base type: only then does the serializer write the "type" discriminator.
    [JsonPropertyName("directive")] public Directive Directive { get; set; } = new VoicePlayerSpeak();
}

/// <summary>Header of a progressive response: the request it belongs to.</summary>
internal sealed class ProgressiveResponseHeader
{
    [JsonPropertyName("requestId")] public string RequestId { get; set; } = "";
}
