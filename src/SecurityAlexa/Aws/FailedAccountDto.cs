namespace SecurityAlexa.Aws;

/// <summary>An account that could not be enabled or read.</summary>
internal sealed class FailedAccountDto
{
    public string? AccountId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}
