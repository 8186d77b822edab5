namespace SecurityAlexa.Security;

/// <summary>Which requests must carry a fresh timestamp.</summary>
internal enum RequestAgeCheck
{
    /// <summary>Every request (Alexa's rule; the default).</summary>
    All,
    /// <summary>Only mutating requests (the local runner's default, so sample events still play).</summary>
    Mutating,
    /// <summary>None (honoured only outside Lambda, for the sandbox).</summary>
    Off,
}
