using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Alexa;

/// <summary>Reads a timestamp sent as an ISO-8601 string or as epoch milliseconds; anything else reads as null.</summary>
internal sealed class FlexibleTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadValue(ref reader);

    /// <summary>The timestamp the reader is on (its first token); also used by <see cref="SkillRequestReader"/>.</summary>
    public static DateTimeOffset? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString();
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                    return parsed;
                // Some tools send epoch milliseconds as a string.
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var msText) ? FromEpoch(msText) : null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var ms)) return FromEpoch(ms);
                return reader.TryGetDouble(out var fractional) && fractional is > 0 and < long.MaxValue ? FromEpoch((long)fractional)
                    : null;
            default:
                // A wrong type must not fail the whole request; a missing timestamp is judged later.
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset? FromEpoch(long ms)
    {
        // Values below 10^11 are epoch seconds in practice.
        if (ms < 100_000_000_000L) ms *= 1000;
        try { return DateTimeOffset.FromUnixTimeMilliseconds(ms); }
        catch (ArgumentOutOfRangeException) { return null; }
    }
}
