namespace SecurityAlexa.Scanning;

/// <summary>Open vulnerability findings by severity.</summary>
internal sealed record SeverityCounts(long All, long Critical, long High, long Medium)
{
    /// <summary>No findings.</summary>
    public static readonly SeverityCounts None = new(0, 0, 0, 0);

    /// <summary>Findings below medium (low, informational, untriaged).</summary>
    public long Lower => Math.Max(0, All - Critical - High - Medium);

    /// <summary>The sum of two counts.</summary>
    public static SeverityCounts operator +(SeverityCounts a, SeverityCounts b) =>
        new(a.All + b.All, a.Critical + b.Critical, a.High + b.High, a.Medium + b.Medium);
}
