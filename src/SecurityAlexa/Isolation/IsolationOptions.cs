using SecurityAlexa.Skill;

namespace SecurityAlexa.Isolation;

/// <summary>Isolation settings, read once per container from the environment.</summary>
internal sealed record IsolationOptions
{
    /// <summary>
    /// Snapshot every EBS volume of a newly isolated instance (SNAPSHOT_ON_ISOLATION; false when unset, the template sets true).
    /// </summary>
    public bool SnapshotOnIsolate { get; init; }

    /// <summary>How many instances are worked on at once (ISOLATE_PARALLELISM, default 8, 1 to 32).</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>The tag whose addition isolates an instance (ISOLATE_TAG_KEY, default SecurityAlexa:Isolate).</summary>
    public string TriggerTagKey { get; init; } = "SecurityAlexa:Isolate";

    /// <summary>The trigger tag's value (ISOLATE_TAG_VALUE, default true).</summary>
    public string TriggerTagValue { get; init; } = "true";

    /// <summary>Time kept back at the end of a turn for the chat post and the answer (ISOLATE_RESERVE_MS, default 2500).</summary>
    public TimeSpan Reserve { get; init; } = TurnReserves.Default.ChangeAndReport;

    /// <summary>The longest a turn waits for a flow-log query (BLOCKED_TRAFFIC_WAIT_MS, default 3000).</summary>
    public TimeSpan FlowLogWait { get; init; } = TimeSpan.FromMilliseconds(3000);

    /// <summary>How often a running flow-log query is polled.</summary>
    public TimeSpan FlowLogPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the settings.</summary>
    public static IsolationOptions From(SkillConfig config)
    {
        // One name per setting, the same names template.yaml sets.
        return new IsolationOptions
        {
            SnapshotOnIsolate = config.Bool("SNAPSHOT_ON_ISOLATION", false),
            Parallelism = Math.Clamp(config.Int("ISOLATE_PARALLELISM", 8), 1, 32),
            TriggerTagKey = config.String("ISOLATE_TAG_KEY", "SecurityAlexa:Isolate"),
            TriggerTagValue = config.String("ISOLATE_TAG_VALUE", "true"),
            Reserve = TimeSpan.FromMilliseconds(Math.Max(0,
                config.Int("ISOLATE_RESERVE_MS", (int)TurnReserves.Default.ChangeAndReport.TotalMilliseconds))),
            FlowLogWait = TimeSpan.FromMilliseconds(Math.Max(0, config.Int("BLOCKED_TRAFFIC_WAIT_MS", 3000))),
        };
    }
}
