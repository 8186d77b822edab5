using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A touch on a screen the skill drew (an APL SendEvent): the document's token and the arguments it sent.</summary>
internal sealed class AplUserEventRequest : Request
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "Alexa.Presentation.APL.UserEvent";

    [JsonIgnore] public override string Type => TypeName;

    /// <summary>The token of the document that sent the event.</summary>
    [JsonPropertyName("token")] public string? Token { get; set; }

    /// <summary>The arguments of the SendEvent command; anything may arrive here, so each is checked before use.</summary>
    [JsonPropertyName("arguments")] public List<JsonElement>? Arguments { get; set; }

    /// <summary>What caused the event (component type, handler, id).</summary>
    [JsonPropertyName("source")] public JsonElement? Source { get; set; }
}
