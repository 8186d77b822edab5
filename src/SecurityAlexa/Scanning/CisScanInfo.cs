namespace SecurityAlexa.Scanning;

/// <summary>One CIS scan (ListCisScans). Inspector reports when it started, not when it finished.</summary>
internal sealed record CisScanInfo(
    string ScanArn,
    string ConfigurationArn,
    string? Name,
    CisScanState State,
    DateTimeOffset? StartedAt,
    int? FailedChecks,
    int? TotalChecks,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TargetTags);
