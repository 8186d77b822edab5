namespace SecurityAlexa.Security;

/// <summary>How much of an instance id may be spoken.</summary>
internal enum InstanceIdSpeech
{
    /// <summary>Never: an unnamed instance is "an unnamed instance"; the id goes to the card.</summary>
    None,
    /// <summary>Only the last four characters ("the instance ending in 4 f 2 a").</summary>
    Ending,
    /// <summary>The whole id.</summary>
    Full,
}
