namespace SecurityAlexa.Aws;

/// <summary>{status, errorCode, errorMessage}.</summary>
internal sealed class StateDto
{
    public string? Status { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}
