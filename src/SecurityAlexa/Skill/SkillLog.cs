using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>
/// Structured JSON logs. Callers pass only values that are safe to log: hashed ids, intent names,
/// outcomes. The raw event, tokens and clear user ids never reach here.
/// </summary>
internal sealed class SkillLog(ILogSink sink, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _once = new(StringComparer.Ordinal);

    /// <summary>The sink lines are written to.</summary>
    public ILogSink Sink { get; } = sink;

    /// <summary>Writes one record with a level, a kind and fields; null fields are left out.</summary>
    public void Write(string level, string kind, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        string text;
        using (var line = JsonLine.Start())
        {
            var w = line.Writer;
            w.WriteStartObject();
            // The "O" format, as before, without a string for it.
            Span<char> stamp = stackalloc char[40];
            w.WriteString("time",
                time.GetUtcNow().UtcDateTime.TryFormat(stamp, out var stampLength, "O", System.Globalization.CultureInfo.InvariantCulture)
                ? stamp[..stampLength] : time.GetUtcNow().UtcDateTime.ToString("O"));
            w.WriteString("level", level);
            w.WriteString("kind", kind);
            foreach (var (key, value) in fields) WriteField(w, key, value);
            w.WriteEndObject();
            text = line.Finish();
        }
        Sink.Write(text);
    }

    /// <summary>An informational record.</summary>
    public void Info(string kind, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("INFO", kind, fields);

    /// <summary>A warning.</summary>
    public void Warn(string kind, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("WARN", kind, fields);

    /// <summary>An error.</summary>
    public void Error(string kind, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("ERROR", kind, fields);

    /// <summary>
    /// An error that stays the same until someone redeploys (a missing setting): written the first time its kind comes,
    /// not on every request.
    /// </summary>
    public void ErrorOnce(string kind, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (_once.TryAdd(kind, true)) Write("ERROR", kind, fields);
    }

    /// <summary>A security event (forged skill id, tampered state, refused speaker).</summary>
    public void Security(string kind, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("SECURITY", kind, fields);

    private static void WriteField(Utf8JsonWriter w, string key, object? value)
    {
        // A field must not repeat the record's own keys: duplicate keys break JSON readers.
        if (key is "time" or "level" or "kind") key = "field." + key;
        switch (value)
        {
            case null: return;
            case string s: w.WriteString(key, s); break;
            case bool b: w.WriteBoolean(key, b); break;
            case int i: w.WriteNumber(key, i); break;
            case long l: w.WriteNumber(key, l); break;
            case double d: w.WriteNumber(key, Math.Round(d, 3)); break;
            case DateTimeOffset t: w.WriteString(key, t.UtcDateTime.ToString("O")); break;
            case TimeSpan span: w.WriteNumber(key, Math.Round(span.TotalMilliseconds, 1)); break;
            case IEnumerable<string> list:
                w.WriteStartArray(key);
                foreach (var item in list) w.WriteStringValue(item);
                w.WriteEndArray();
                break;
            case IEnumerable<KeyValuePair<string, string?>> map:
                w.WriteStartObject(key);
                foreach (var (k, v) in map) { if (v is null) w.WriteNull(k); else w.WriteString(k, v); }
                w.WriteEndObject();
                break;
            default: w.WriteString(key, value.ToString()); break;
        }
    }
}
