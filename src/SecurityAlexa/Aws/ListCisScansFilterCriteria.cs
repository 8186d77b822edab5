namespace SecurityAlexa.Aws;

/// <summary>CIS scan filters.</summary>
internal sealed class ListCisScansFilterCriteria
{
    public List<StringFilter>? ScanNameFilters { get; set; }
    public List<StringFilter>? ScanConfigurationArnFilters { get; set; }
}
