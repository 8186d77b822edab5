namespace SecurityAlexa.Aws;

/// <summary>CreateCisScanConfiguration request.</summary>
internal sealed class CreateCisScanConfigurationRequest
{
    public string ScanName { get; set; } = "";
    public ScheduleDto Schedule { get; set; } = new();
    public string SecurityLevel { get; set; } = "LEVEL_1";
    public CisTargetsDto Targets { get; set; } = new();
    public Dictionary<string, string>? Tags { get; set; }
}
