using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The payload of an <c>isolate-instance</c> unit: one instance whose isolation did not fit in its turn or event,
/// with who asked, why and when, and for a tag event the tag the instance must still carry.
/// </summary>
internal sealed record IsolateInstanceWork
{
    /// <summary>The unit's kind on the work queue.</summary>
    public const string Kind = "isolate-instance";

    /// <summary>The one instance.</summary>
    [JsonPropertyName("instanceId")] public string? InstanceId { get; init; }

    /// <summary>Who asked (hashed speaker, or <c>tag-event:</c> and a hash).</summary>
    [JsonPropertyName("requestedBy")] public string? RequestedBy { get; init; }

    /// <summary>Why, as recorded; may be empty.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>When it was asked for.</summary>
    [JsonPropertyName("at")] public DateTimeOffset? At { get; init; }

    /// <summary>For a tag event: the trigger tag's key, which the instance must still carry.</summary>
    [JsonPropertyName("tagKey")] public string? TagKey { get; init; }

    /// <summary>For a tag event: the trigger tag's value.</summary>
    [JsonPropertyName("tagValue")] public string? TagValue { get; init; }

    /// <summary>The unit that isolates <paramref name="instanceId"/> for <paramref name="request"/>.</summary>
    public static WorkItem For(string instanceId, IsolationRequest request) =>
        new(Kind, JsonSerializer.Serialize(new IsolateInstanceWork
        {
            InstanceId = instanceId,
            RequestedBy = request.RequestedBy,
            Reason = request.Reason,
            At = request.At,
            TagKey = request.RequiredTag?.Key,
            TagValue = request.RequiredTag?.Value,
        }, IsolationJsonContext.Default.IsolateInstanceWork));

    /// <summary>The request as it was made.</summary>
    public IsolationRequest Request() =>
        new(RequestedBy ?? "unknown", Reason ?? "", At ?? DateTimeOffset.UnixEpoch,
            TagKey is { } key && TagValue is { } value ? new TagSelector(key, value) : null);
}
