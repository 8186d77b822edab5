namespace SecurityAlexa.Local.Chat;

/// <summary>How a slot value resolved: a custom-type match or no match, or a built-in type (no resolution block).</summary>
internal enum SlotResolution
{
    /// <summary>The words equal a value or synonym of the custom slot type (ER_SUCCESS_MATCH).</summary>
    Match,
    /// <summary>Custom slot type, but the words match no value (ER_SUCCESS_NO_MATCH).</summary>
    NoMatch,
    /// <summary>A built-in slot type (AMAZON.NUMBER, ...): Alexa sends no resolutions.</summary>
    BuiltIn,
}
