namespace SecurityAlexa.Aws;

/// <summary>CIS targets: accounts and a map of tag key to values.</summary>
internal sealed class CisTargetsDto
{
    public List<string>? AccountIds { get; set; }
    public Dictionary<string, List<string>>? TargetResourceTags { get; set; }
}
