using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

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
