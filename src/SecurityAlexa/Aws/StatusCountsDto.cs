namespace SecurityAlexa.Aws;

/// <summary>{failed, passed, skipped}.</summary>
internal sealed class StatusCountsDto
{
    public int? Failed { get; set; }
    public int? Passed { get; set; }
    public int? Skipped { get; set; }
}
