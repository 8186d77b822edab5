namespace SecurityAlexa.Aws;

/// <summary>Enable response.</summary>
internal sealed class EnableResponse
{
    public List<AccountDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}
