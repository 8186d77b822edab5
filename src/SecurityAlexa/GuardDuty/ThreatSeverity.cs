namespace SecurityAlexa.GuardDuty;

/// <summary>GuardDuty's severity levels over its 0 to 10 scale (low below 4, medium below 7, high below 9, then critical).</summary>
internal static class ThreatSeverity
{
    public const string Critical = "critical";
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";

    /// <summary>The level a severity value falls in.</summary>
    public static string LevelOf(double severity) => severity switch
    {
        >= 9 => Critical,
        >= 7 => High,
        >= 4 => Medium,
        _ => Low,
    };

    /// <summary>The lowest severity value of a spoken level (the SEVERITY slot's id), or 0 for none or an unknown one.</summary>
    public static double FloorOf(string? level) => level?.ToUpperInvariant() switch
    {
        "CRITICAL" => 9,
        "HIGH" => 7,
        "MEDIUM" => 4,
        "LOW" => 1,
        _ => 0,
    };
}
