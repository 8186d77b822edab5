using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>A speaker recognised by an Alexa voice profile.</summary>
internal sealed class Person
{
    [JsonPropertyName("personId")] public string? PersonId { get; set; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; set; }
}
