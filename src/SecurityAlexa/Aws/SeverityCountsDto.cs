namespace SecurityAlexa.Aws;

/// <summary>{all, critical, high, medium}.</summary>
internal sealed class SeverityCountsDto
{
    public long? All { get; set; }
    public long? Critical { get; set; }
    public long? High { get; set; }
    public long? Medium { get; set; }
}
