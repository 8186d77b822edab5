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

/// <summary>
/// The one data shape every screen binds: a heading, an optional bar chart, and a list of rows. All text is
/// already in the request's language; colours always come with a text label, never alone.
/// </summary>
internal sealed class ScreenData
{
    /// <summary>The heading.</summary>
    [JsonPropertyName("title")] public string Title { get; set; } = "";

    /// <summary>The line under the heading (a scan's name and time, a command's age).</summary>
    [JsonPropertyName("subtitle")] public string? Subtitle { get; set; }

    /// <summary>The summary line: the same figures the speech gives.</summary>
    [JsonPropertyName("summary")] public string? Summary { get; set; }

    /// <summary>The heading of the bar chart.</summary>
    [JsonPropertyName("barsTitle")] public string? BarsTitle { get; set; }

    /// <summary>Bars of a chart drawn with components (findings by severity).</summary>
    [JsonPropertyName("bars")] public List<ScreenBar>? Bars { get; set; }

    /// <summary>The heading of the list.</summary>
    [JsonPropertyName("listTitle")] public string? ListTitle { get; set; }

    /// <summary>The rows: one per instance.</summary>
    [JsonPropertyName("items")] public List<ScreenItem> Items { get; set; } = [];

    /// <summary>"and 12 more", when not every row fits.</summary>
    [JsonPropertyName("more")] public string? More { get; set; }

    /// <summary>What the user can say or touch next.</summary>
    [JsonPropertyName("hint")] public string? Hint { get; set; }
}

/// <summary>One bar: its label, its figure as text, its length and its colour.</summary>
internal sealed class ScreenBar
{
    /// <summary>The label, in words ("Critical").</summary>
    [JsonPropertyName("label")] public string Label { get; set; } = "";

    /// <summary>The figure.</summary>
    [JsonPropertyName("count")] public long Count { get; set; }

    /// <summary>The figure as shown ("at least 2" when it is a lower bound).</summary>
    [JsonPropertyName("text")] public string Text { get; set; } = "";

    /// <summary>The bar's length as a share of the widest ("40%").</summary>
    [JsonPropertyName("width")] public string Width { get; set; } = "0%";

    /// <summary>The bar's colour.</summary>
    [JsonPropertyName("color")] public string Color { get; set; } = "";
}

/// <summary>One row: an instance with a labelled, coloured badge and its detail.</summary>
internal sealed class ScreenItem
{
    /// <summary>The instance id; touching the row asks for its detail.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>The instance's name, or its id.</summary>
    [JsonPropertyName("title")] public string Title { get; set; } = "";

    /// <summary>One line of detail (counts, reason, baseline).</summary>
    [JsonPropertyName("detail")] public string Detail { get; set; } = "";

    /// <summary>The badge's words ("Critical", "Failed"): the colour never stands alone.</summary>
    [JsonPropertyName("badge")] public string Badge { get; set; } = "";

    /// <summary>The badge's colour.</summary>
    [JsonPropertyName("color")] public string Color { get; set; } = "";

    /// <summary>Further lines (interfaces and their groups, steps taken).</summary>
    [JsonPropertyName("lines")] public List<string> Lines { get; set; } = [];
}
