namespace SecurityAlexa.GuardDuty;

/// <summary>Open findings by GuardDuty's severity levels.</summary>
internal sealed record ThreatCounts(int Critical, int High, int Medium, int Low)
{
    /// <summary>Every finding counted.</summary>
    public int Total => Critical + High + Medium + Low;

    /// <summary>Counts from (severity, number of findings) pairs, each severity put in its level.</summary>
    public static ThreatCounts From(IEnumerable<(double Severity, int Count)> groups)
    {
        int critical = 0, high = 0, medium = 0, low = 0;
        foreach (var (severity, count) in groups)
        {
            switch (ThreatSeverity.LevelOf(severity))
            {
                case ThreatSeverity.Critical: critical += count; break;
                case ThreatSeverity.High: high += count; break;
                case ThreatSeverity.Medium: medium += count; break;
                default: low += count; break;
            }
        }
        return new ThreatCounts(critical, high, medium, low);
    }
}
