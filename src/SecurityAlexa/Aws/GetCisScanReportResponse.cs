namespace SecurityAlexa.Aws;

/// <summary>GetCisScanReport response.</summary>
internal sealed class GetCisScanReportResponse
{
    public string? Status { get; set; }
    public string? Url { get; set; }
}
