using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>
/// Draws an APL document on a device with a screen. The document is one of the skill's own embedded
/// documents; its words come only from <see cref="DataSources"/>, so every locale uses the same document.
/// </summary>
internal sealed class AplRenderDocument : Directive
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "Alexa.Presentation.APL.RenderDocument";

    /// <summary>The name the documents bind their data to (mainTemplate.parameters).</summary>
    public const string DataSourceName = "screen";

    [JsonIgnore] public override string Type => TypeName;

    /// <summary>The document's name; a UserEvent from the screen carries it back.</summary>
    [JsonPropertyName("token")] public string Token { get; set; } = "";

    /// <summary>The whole APL document.</summary>
    [JsonPropertyName("document")] public JsonElement Document { get; set; }

    /// <summary>The data the document binds, under <see cref="DataSourceName"/>.</summary>
    [JsonPropertyName("datasources")] public Dictionary<string, ScreenData> DataSources { get; set; } = [];

    /// <summary>The data drawn, or null.</summary>
    [JsonIgnore] public ScreenData? Data => DataSources.GetValueOrDefault(DataSourceName);
}
