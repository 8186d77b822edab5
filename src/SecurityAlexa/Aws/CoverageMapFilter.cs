namespace SecurityAlexa.Aws;

/// <summary>{comparison, key, value}: a coverage tag filter.</summary>
internal sealed record CoverageMapFilter(string Comparison, string Key, string? Value);
