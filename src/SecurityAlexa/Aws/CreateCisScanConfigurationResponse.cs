namespace SecurityAlexa.Aws;

/// <summary>CreateCisScanConfiguration response.</summary>
internal sealed class CreateCisScanConfigurationResponse
{
    public string? ScanConfigurationArn { get; set; }
}
