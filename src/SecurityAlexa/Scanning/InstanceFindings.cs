namespace SecurityAlexa.Scanning;

/// <summary>One instance's open findings by severity (ListFindingAggregations, AWS_EC2_INSTANCE).</summary>
internal sealed record InstanceFindings(string InstanceId, string? Name, SeverityCounts Counts);
