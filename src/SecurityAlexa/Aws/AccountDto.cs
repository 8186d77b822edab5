namespace SecurityAlexa.Aws;

/// <summary>An account Enable answered for.</summary>
internal sealed class AccountDto
{
    public string? AccountId { get; set; }
    public ResourceStatusDto? ResourceStatus { get; set; }
    public string? Status { get; set; }
}
