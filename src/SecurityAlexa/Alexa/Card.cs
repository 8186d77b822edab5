using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A card in the Alexa app: Simple (title, content) or Standard (title, text).</summary>
internal sealed class Card
{
    [JsonPropertyName("type")] public string Type { get; set; } = "Simple";
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("image")] public CardImage? Image { get; set; }

    /// <summary>A Simple card.</summary>
    public static Card Simple(string title, string content) => new() { Type = "Simple", Title = title, Content = content };

    /// <summary>A Standard card.</summary>
    public static Card Standard(string title, string text) => new() { Type = "Standard", Title = title, Text = text };

    /// <summary>The body whichever card type this is.</summary>
    [JsonIgnore]
    public string Body
    {
        get => Type == "Standard" ? Text ?? "" : Content ?? "";
        set { if (Type == "Standard") Text = value; else Content = value; }
    }
}
