namespace SecurityAlexa.Scanning;

/// <summary>Which CIS scans to list: by name prefix or by configuration, newest first.</summary>
internal sealed record CisScanQuery(string? NamePrefix = null, string? ConfigurationArn = null);
