namespace SecurityAlexa.Scanning;

/// <summary>One instance as Inspector's continuous scanning covers it (ListCoverage).</summary>
internal sealed record CoverageEntry(string InstanceId, bool Active, string? Reason, DateTimeOffset? LastScannedAt, string? ScanMode);
