namespace SecurityAlexa.Accounts;

/// <summary>
/// Where one command acts: an account, by its spoken name and id, and one region. A change is always in exactly
/// one scope; read-only questions may be asked across several.
/// </summary>
/// <param name="Name">The spoken name from MEMBER_ACCOUNTS ("payments"), or "home" for the function's own account.</param>
/// <param name="AccountId">The 12-digit account id; empty when the function's own id is not configured.</param>
/// <param name="Region">The region's code, such as eu-west-1.</param>
/// <param name="IsHome">True for the function's own account, which is reached with the function's role, not through STS.</param>
internal sealed record AccountScope(string Name, string AccountId, string Region, bool IsHome)
{
    /// <summary>A stable key for caches, state items and audit records: account id (or name) and region.</summary>
    public string Key => (AccountId.Length > 0 ? AccountId : Name) + "/" + Region;
}
