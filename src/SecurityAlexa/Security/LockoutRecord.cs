namespace SecurityAlexa.Security;

/// <summary>A speaker's wrong codes and lockout, as read from the state table.</summary>
internal sealed record LockoutRecord
{
    /// <summary>Wrong codes counted in the speaker's open window.</summary>
    public int Failures { get; init; }

    /// <summary>True while the window in which wrong codes are counted is open.</summary>
    public bool WindowOpen { get; init; }

    /// <summary>How many times the speaker was locked out within the escalation memory.</summary>
    public long Level { get; init; }

    /// <summary>When set, mutating intents are refused for this speaker until then.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>True when the hour's wrong codes from everyone reached the total limit: everyone is locked.</summary>
    public bool Everyone { get; init; }

    /// <summary>True when this wrong code was the one that locked everyone.</summary>
    public bool EveryoneLockedNow { get; init; }
}
