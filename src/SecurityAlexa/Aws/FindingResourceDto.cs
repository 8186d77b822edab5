namespace SecurityAlexa.Aws;

/// <summary>A resource a finding is about.</summary>
internal sealed class FindingResourceDto
{
    public string? Id { get; set; }
    public string? Type { get; set; }
}
