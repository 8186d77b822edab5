using System.Globalization;

namespace SecurityAlexa.State;

/// <summary>One attribute's value: a string or a whole number (the only types the skill stores).</summary>
internal readonly record struct StateValue
{
    private StateValue(string? text, long? number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The string, when this is a string.</summary>
    public string? Text { get; }

    /// <summary>The number, when this is a number.</summary>
    public long? Number { get; }

    /// <summary>A string value.</summary>
    public static StateValue Of(string text) => new(text, null);

    /// <summary>A number value.</summary>
    public static StateValue Of(long number) => new(null, number);

    /// <summary>A time, stored as epoch seconds (the form DynamoDB's TTL reads).</summary>
    public static StateValue Of(DateTimeOffset time) => new(null, time.ToUnixTimeSeconds());

    /// <inheritdoc />
    public override string ToString() => Text ?? Number?.ToString(CultureInfo.InvariantCulture) ?? "";
}
