namespace SecurityAlexa.Aws;

/// <summary>GetCisScanReport request.</summary>
internal sealed class GetCisScanReportRequest
{
    public string ScanArn { get; set; } = "";
    public string? ReportFormat { get; set; }
}
