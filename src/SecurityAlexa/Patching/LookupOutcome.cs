namespace SecurityAlexa.Patching;

/// <summary>What a look-up by comment found: the command, nothing, or nothing because it could not be done.</summary>
internal enum LookupOutcome
{
    /// <summary>SSM has the command: it was sent.</summary>
    Found,
    /// <summary>SSM listed its recent commands and this one is not among them.</summary>
    NotFound,
    /// <summary>No time was left in the turn, or the listing failed.</summary>
    Impossible,
}
