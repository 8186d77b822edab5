using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>
/// Where a turn acts, as the core sees it, without knowing what an account is: set only when more than one account
/// or region is configured, so a single-account skill carries none.
/// </summary>
/// <param name="Key">
/// A stable key of the account and region; a pending action carries it, so a yes acts only where it was read back.
/// </param>
/// <param name="Account">The account's spoken name, for failures ("I can't reach the payments account").</param>
/// <param name="ReadBack">What every read-back says first: "In the payments account, in Ireland."</param>
internal sealed record TurnScope(string Key, string Account, Spoken ReadBack)
{
    /// <summary>
    /// True when this scope's answer is one of several spoken together ("in every account"): a handler answers in brief,
    /// offers no follow-up (the turn's session is a copy, so nothing it remembers survives), and leaves out its closing question.
    /// </summary>
    public bool Brief { get; init; }
}
