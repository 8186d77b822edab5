namespace SecurityAlexa.Aws;

/// <summary>{count, groupKey}: the group's value (e.g. ACTIVE) and how many resources are in it.</summary>
internal sealed class CountsDto
{
    public long? Count { get; set; }
    public string? GroupKey { get; set; }
}
