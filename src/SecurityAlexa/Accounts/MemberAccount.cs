namespace SecurityAlexa.Accounts;

/// <summary>One account the team defends, as MEMBER_ACCOUNTS names it.</summary>
/// <param name="Name">The spoken name, lower case ("payments").</param>
/// <param name="AccountId">The 12-digit account id.</param>
/// <param name="IsHome">True for the function's own account.</param>
internal sealed record MemberAccount(string Name, string AccountId, bool IsHome);
