using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>
/// REST-JSON timestamps arrive as epoch seconds (a number, maybe fractional); ISO strings are accepted too.
/// </summary>
internal sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(reader.GetDouble() * 1000));
            case JsonTokenType.String:
                var s = reader.GetString();
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000));
                return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
                    : null;
            default:
                throw new JsonException("Expected a timestamp.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v.ToUnixTimeMilliseconds() / 1000.0);
        else writer.WriteNullValue();
    }
}
