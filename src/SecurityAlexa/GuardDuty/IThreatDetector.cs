namespace SecurityAlexa.GuardDuty;

/// <summary>
/// Amazon GuardDuty as the skill needs it: this region's detector, its findings (counted, and the most severe few)
/// and Malware Protection's on-demand scans. Nothing here archives or changes a finding.
/// </summary>
internal interface IThreatDetector
{
    /// <summary>This region's detector id, or null when GuardDuty is not turned on here.</summary>
    Task<string?> DetectorIdAsync(CancellationToken cancellationToken);

    /// <summary>Open findings matching the query, counted by severity level in one call however many there are.</summary>
    Task<ThreatCounts> CountAsync(string detectorId, ThreatQuery query, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="max"/> open findings matching the query, most severe first.</summary>
    Task<IReadOnlyList<ThreatFinding>> MostSevereAsync(string detectorId, ThreatQuery query, int max, CancellationToken cancellationToken);

    /// <summary>Starts an on-demand malware scan of one instance's volumes; returns the scan id.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="clientToken">Makes a repeated start (a retry) the same scan.</param>
    /// <param name="cancellationToken">The turn's deadline.</param>
    Task<string> StartMalwareScanAsync(string instanceId, string clientToken, CancellationToken cancellationToken);

    /// <summary>The newest malware scan with this id, or of this instance; null when there is none.</summary>
    Task<MalwareScan?> LatestMalwareScanAsync(string detectorId, MalwareScanQuery query, CancellationToken cancellationToken);
}
