namespace SecurityAlexa.Aws;

/// <summary>{statusCode, reason}.</summary>
internal sealed class ScanStatusDto
{
    public string? StatusCode { get; set; }
    public string? Reason { get; set; }
}
