using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>
/// The request body. Known types become subclasses; any other type parses as this base class,
/// so that new Alexa request types never break the parser.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(LaunchRequest), "LaunchRequest")]
[JsonDerivedType(typeof(IntentRequest), "IntentRequest")]
[JsonDerivedType(typeof(SessionEndedRequest), "SessionEndedRequest")]
[JsonDerivedType(typeof(SystemExceptionRequest), "System.ExceptionEncountered")]
[JsonDerivedType(typeof(CanFulfillIntentRequest), "CanFulfillIntentRequest")]
[JsonDerivedType(typeof(AplUserEventRequest), AplUserEventRequest.TypeName)]
internal class Request
{
    /// <summary>The wire type name; the polymorphic discriminator is consumed, so each subclass reports its own.</summary>
    [JsonIgnore] public virtual string Type => "Unknown";

    [JsonPropertyName("requestId")] public string? RequestId { get; set; }

    [JsonPropertyName("timestamp")]
    [JsonConverter(typeof(FlexibleTimestampConverter))]
    public DateTimeOffset? Timestamp { get; set; }

    [JsonPropertyName("locale")] public string? Locale { get; set; }
}
