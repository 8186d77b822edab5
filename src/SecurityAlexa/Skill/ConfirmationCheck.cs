namespace SecurityAlexa.Skill;

/// <summary>Where a mutating intent stands in its read-back-and-confirm exchange.</summary>
internal abstract record ConfirmationCheck
{
    private ConfirmationCheck() { }

    /// <summary>Nothing has been read back yet: resolve, read back, ask.</summary>
    public sealed record NotAsked : ConfirmationCheck;

    /// <summary>The user said no: drop the pending action, change nothing.</summary>
    public sealed record Denied(PendingAction? Pending) : ConfirmationCheck;

    /// <summary>The user said yes to exactly this pending action.</summary>
    public sealed record Confirmed(PendingAction Pending) : ConfirmationCheck;

    /// <summary>
    /// A yes from a voice other than the one that heard the read-back: refused, and the pending action kept
    /// (unchanged, still expiring) for the voice that heard it.
    /// </summary>
    public sealed record OtherVoice(PendingAction Pending) : ConfirmationCheck;

    /// <summary>A yes that cannot be trusted (nothing pending, another action, expired): read back again.</summary>
    public sealed record Invalid(string Reason) : ConfirmationCheck;
}
