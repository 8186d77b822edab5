namespace SecurityAlexa.Aws;

/// <summary>{comparison, key, value}: a tag filter for findings and aggregations.</summary>
internal sealed record MapFilter(string Comparison, string Key, string? Value);
