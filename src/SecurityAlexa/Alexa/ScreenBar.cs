using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

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
