namespace SecurityAlexa.Aws;

/// <summary>An account's Inspector state.</summary>
internal sealed class AccountStateDto
{
    public string? AccountId { get; set; }
    public ResourceStateDto? ResourceState { get; set; }
    public StateDto? State { get; set; }
}
