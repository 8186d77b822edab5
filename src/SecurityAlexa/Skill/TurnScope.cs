using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>
/// Where a turn acts, as the core sees it, without knowing what an account is: set only when more than one account
/// or region is configured, so a single-account skill carries none.
/// </summary>
/// <param name="Key">A stable key of the account and region; a pending action carries it, so a yes acts only where it was read back.</param>
/// <param name="Account">The account's spoken name, for failures ("I can't reach the payments account").</param>
/// <param name="ReadBack">What every read-back says first: "In the payments account, in Ireland."</param>
internal sealed record TurnScope(string Key, string Account, Spoken ReadBack);
