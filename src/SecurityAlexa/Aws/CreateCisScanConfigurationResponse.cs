using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityAlexa.Aws;

/// <summary>CreateCisScanConfiguration response.</summary>
internal sealed class CreateCisScanConfigurationResponse
{
    public string? ScanConfigurationArn { get; set; }
}
