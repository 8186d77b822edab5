namespace SecurityAlexa.Aws;

/// <summary>BatchGetAccountStatus response.</summary>
internal sealed class BatchGetAccountStatusResponse
{
    public List<AccountStateDto>? Accounts { get; set; }
    public List<FailedAccountDto>? FailedAccounts { get; set; }
}
