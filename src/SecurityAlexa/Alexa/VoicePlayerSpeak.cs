using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>The directive sent in a progressive response.</summary>
internal sealed class VoicePlayerSpeak : Directive
{
    [JsonIgnore] public override string Type => "VoicePlayer.Speak";
    [JsonPropertyName("speech")] public string Speech { get; set; } = "";
}
