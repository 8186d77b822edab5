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

/// <summary>"Alexa, open security assistant."</summary>
internal sealed class LaunchRequest : Request
{
    [JsonIgnore] public override string Type => "LaunchRequest";
}

/// <summary>An utterance mapped to one of the skill's intents.</summary>
internal sealed class IntentRequest : Request
{
    [JsonIgnore] public override string Type => "IntentRequest";
    [JsonPropertyName("dialogState")] public string? DialogState { get; set; }
    [JsonPropertyName("intent")] public Intent? Intent { get; set; }
}

/// <summary>The session ended; the skill must not speak.</summary>
internal sealed class SessionEndedRequest : Request
{
    [JsonIgnore] public override string Type => "SessionEndedRequest";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("error")] public AlexaError? Error { get; set; }
}

/// <summary>Alexa reports that our previous response was rejected; it expects an empty response.</summary>
internal sealed class SystemExceptionRequest : Request
{
    [JsonIgnore] public override string Type => "System.ExceptionEncountered";
    [JsonPropertyName("error")] public AlexaError? Error { get; set; }
    [JsonPropertyName("cause")] public ExceptionCause? Cause { get; set; }
}

/// <summary>Alexa asks whether the skill could handle an intent, without acting on it.</summary>
internal sealed class CanFulfillIntentRequest : Request
{
    [JsonIgnore] public override string Type => "CanFulfillIntentRequest";
    [JsonPropertyName("intent")] public Intent? Intent { get; set; }
}

/// <summary>An error reported by Alexa.</summary>
internal sealed class AlexaError
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>Which earlier request caused a System.ExceptionEncountered.</summary>
internal sealed class ExceptionCause
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
}

/// <summary>An intent with its slots; also used in dialog directives as updatedIntent.</summary>
internal sealed class Intent
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("confirmationStatus")] public string? ConfirmationStatus { get; set; }
    [JsonPropertyName("slots")] public Dictionary<string, Slot>? Slots { get; set; }
}

/// <summary>One slot as Alexa heard and resolved it.</summary>
internal sealed class Slot
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("confirmationStatus")] public string? ConfirmationStatus { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("resolutions")] public Resolutions? Resolutions { get; set; }
    [JsonPropertyName("slotValue")] public SlotValue? SlotValue { get; set; }
}

/// <summary>Entity resolution results for a slot.</summary>
internal sealed class Resolutions
{
    [JsonPropertyName("resolutionsPerAuthority")] public List<ResolutionAuthority>? ResolutionsPerAuthority { get; set; }
}

/// <summary>The result of one resolution authority (static or dynamic entities).</summary>
internal sealed class ResolutionAuthority
{
    [JsonPropertyName("authority")] public string? Authority { get; set; }
    [JsonPropertyName("status")] public ResolutionStatus? Status { get; set; }
    [JsonPropertyName("values")] public List<ResolutionValueWrapper>? Values { get; set; }
}

/// <summary>ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH, ER_ERROR_TIMEOUT or ER_ERROR_EXCEPTION.</summary>
internal sealed class ResolutionStatus
{
    [JsonPropertyName("code")] public string? Code { get; set; }
}

/// <summary>Wrapper object Alexa puts around each resolved value.</summary>
internal sealed class ResolutionValueWrapper
{
    [JsonPropertyName("value")] public ResolutionValue? Value { get; set; }
}

/// <summary>A canonical slot value.</summary>
internal sealed class ResolutionValue
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>The structured slot value: Simple, or a List of values for multi-value slots.</summary>
internal sealed class SlotValue
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("resolutions")] public Resolutions? Resolutions { get; set; }
    [JsonPropertyName("values")] public List<SlotValue>? Values { get; set; }
}
