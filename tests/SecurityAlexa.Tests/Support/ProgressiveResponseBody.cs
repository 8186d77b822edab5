using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>
/// The body posted to {apiEndpoint}/v1/directives, as the contract types describe it: the tests hold
/// <c>AlexaProgressiveResponse.Body</c>, which writes it directly, to these.
/// </summary>
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
