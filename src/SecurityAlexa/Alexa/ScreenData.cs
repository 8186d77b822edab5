using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

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
