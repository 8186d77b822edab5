using System.Buffers;
using System.Text;
using System.Text.Json;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>
/// Writes the audit record: one JSON line per mutating request, in the shape documented in
/// docs/security.md (auditVersion 1). Every key is always present so that queries and SIEM parsers can
/// rely on it. The security code is never part of it.
/// </summary>
internal static class AuditLog
{
    /// <summary>The version of the record's shape; bump it when a key changes meaning or disappears.</summary>
    public const int Version = 1;

    /// <summary>The facts about the request that the pipeline knows.</summary>
    public sealed record Facts(string? Handler, string Outcome, string? ErrorRef, TimeSpan Duration);

    /// <summary>Writes the record for one request.</summary>
    public static void Write(ILogSink sink, DateTimeOffset time, TurnContext turn, AuditTrail trail, Facts facts)
    {
        string text;
        using (var line = JsonLine.Start())
        {
            var w = line.Writer;
            w.WriteStartObject();
            // The "O" format, as before, without a string for it.
            Span<char> stamp = stackalloc char[40];
            w.WriteString("time",
                time.UtcDateTime.TryFormat(stamp, out var stampLength, "O", System.Globalization.CultureInfo.InvariantCulture)
                ? stamp[..stampLength] : time.UtcDateTime.ToString("O"));
            w.WriteString("level", "AUDIT");
            w.WriteString("kind", "audit");
            w.WriteNumber("auditVersion", Version);
            w.WriteString("requestId", turn.RequestId);
            w.WriteString("requestTime", turn.Request.Timestamp?.UtcDateTime.ToString("O"));
            w.WriteString("sessionHash", IdentityHash.Of(turn.Envelope.Session?.SessionId));
            w.WriteString("speakerHash", turn.SpeakerHash);
            w.WriteString("userHash", turn.UserHash);
            w.WriteString("intent", turn.IntentName);
            w.WriteString("dialogState", turn.DialogState);
            w.WriteString("confirmation", turn.IntentConfirmation);
            w.WriteStartObject("slots");
            foreach (var (name, value) in SpokenSlots(turn)) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteString("action", trail.Action);
            w.WriteStartArray("targets");
            foreach (var id in trail.Targets) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteNumber("targetCount", trail.TargetCount);
            if (trail.TargetDigest is { } digest) w.WriteString("targetDigest", digest);
            // Where the targets are, when more than one account or region is configured (the scope's key is account/region).
            var scope = turn.Scope?.Key;
            var slash = scope?.LastIndexOf('/') ?? -1;
            w.WriteString("account", slash > 0 ? scope![..slash] : null);
            w.WriteString("region", slash > 0 ? scope![(slash + 1)..] : null);
            w.WriteStartArray("awsCalls");
            foreach (var call in trail.Calls)
            {
                w.WriteStartObject();
                w.WriteString("operation", call.Operation);
                w.WriteString("requestId", call.AwsRequestId);
                w.WriteString("error", call.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("securityCode", trail.SecurityCode);
            w.WriteString("refusedBy", trail.RefusedBy);
            w.WriteString("handler", facts.Handler);
            w.WriteString("outcome", facts.Outcome);
            w.WriteString("errorRef", facts.ErrorRef);
            w.WriteStartObject("notes");
            foreach (var (key, value) in trail.Notes) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteNumber("durationMs", Math.Round(facts.Duration.TotalMilliseconds, 1));
            w.WriteEndObject();
            text = line.Finish();
        }
        sink.Write(text);
    }

    /// <summary>The words heard for each slot, without the security code.</summary>
    public static IEnumerable<KeyValuePair<string, string>> SpokenSlots(TurnContext turn)
    {
        if (turn.Intent?.Slots is not { } slots) yield break;
        // Alexa sends only the model's slots; a forged request with thousands must not flood the log.
        foreach (var name in slots.Keys.Where(k => k.Length <= 64).Order(StringComparer.Ordinal).Take(32))
        {
            if (name == SecurityPolicy.SecurityCodeSlot) continue;
            if (turn.Slot(name).Heard is { } heard) yield return new(name, heard);
        }
    }
}
