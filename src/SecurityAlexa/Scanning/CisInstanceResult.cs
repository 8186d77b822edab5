namespace SecurityAlexa.Scanning;

/// <summary>A CIS scan's result on one instance (ListCisScanResultsAggregatedByTargetResource).</summary>
internal sealed record CisInstanceResult(string InstanceId, int Passed, int Failed, int Skipped, string? Status, string? StatusReason);
