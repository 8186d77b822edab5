namespace SecurityAlexa.Skill;

/// <summary>Work the function does on its EventBridge schedule (every 5 minutes) rather than for a request.</summary>
internal interface IScheduledJob
{
    /// <summary>A short name for logs and the invoker's result.</summary>
    string Name { get; }

    /// <summary>Runs once within <paramref name="deadline"/>; never throws for anything AWS can answer.</summary>
    Task<EventResult> RunAsync(DateTimeOffset deadline, CancellationToken cancellationToken);
}
