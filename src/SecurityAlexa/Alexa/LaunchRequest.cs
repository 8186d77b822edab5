using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>"Alexa, open security assistant."</summary>
internal sealed class LaunchRequest : Request
{
    [JsonIgnore] public override string Type => "LaunchRequest";
}
