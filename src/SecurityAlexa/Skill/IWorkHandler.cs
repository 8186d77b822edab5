namespace SecurityAlexa.Skill;

/// <summary>Does one kind of queued unit. A unit delivered twice must change nothing the second time.</summary>
internal interface IWorkHandler
{
    /// <summary>The <see cref="WorkItem.Kind"/> this handler takes.</summary>
    string Kind { get; }

    /// <summary>Does the unit within <paramref name="deadline"/>; never throws for anything a message can contain.</summary>
    Task<WorkOutcome> HandleAsync(WorkItem item, DateTimeOffset deadline, CancellationToken cancellationToken);
}
