namespace SecurityAlexa.Aws;

/// <summary>Enable request.</summary>
internal sealed class EnableRequest
{
    public List<string>? AccountIds { get; set; }
    public List<string> ResourceTypes { get; set; } = [];
    public string? ClientToken { get; set; }
}
