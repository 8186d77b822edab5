namespace SecurityAlexa.Aws;

/// <summary>{comparison, value}: a string filter.</summary>
internal sealed record StringFilter(string Comparison, string Value);
