namespace SecurityAlexa.Aws;

/// <summary>ListCisScans response.</summary>
internal sealed class ListCisScansResponse
{
    public List<CisScanDto>? Scans { get; set; }
    public string? NextToken { get; set; }
}
