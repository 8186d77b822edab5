using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Images for a Standard card.</summary>
internal sealed class CardImage
{
    [JsonPropertyName("smallImageUrl")] public string? SmallImageUrl { get; set; }
    [JsonPropertyName("largeImageUrl")] public string? LargeImageUrl { get; set; }
}
