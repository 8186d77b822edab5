namespace SecurityAlexa.Skill;

/// <summary>How a slot came in.</summary>
internal enum SlotStatus
{
    /// <summary>The slot is absent or empty.</summary>
    Missing,
    /// <summary>Alexa resolved it to a canonical value (ER_SUCCESS_MATCH).</summary>
    Matched,
    /// <summary>Alexa heard words but matched no value (ER_SUCCESS_NO_MATCH).</summary>
    NotMatched,
    /// <summary>Words with no entity resolution (built-in or free-form slot types).</summary>
    Heard,
}
