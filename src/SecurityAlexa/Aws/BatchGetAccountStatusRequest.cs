namespace SecurityAlexa.Aws;

/// <summary>BatchGetAccountStatus request.</summary>
internal sealed class BatchGetAccountStatusRequest
{
    public List<string>? AccountIds { get; set; }
}
