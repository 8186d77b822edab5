namespace SecurityAlexa.Targets;

/// <summary>Why nothing was found, and what does exist, so the answer can help.</summary>
internal enum NotFoundKind
{
    /// <summary>No tag key like the spoken one exists.</summary>
    NoSuchTagKey,
    /// <summary>The key exists, but no value like the spoken one.</summary>
    NoSuchTagValue,
    /// <summary>No instance has that name or id.</summary>
    NoSuchInstance,
    /// <summary>The tag or name matched, but no instance is in a state the request covers (for example none running).</summary>
    NoRunningInstances,
    /// <summary>The user named nothing.</summary>
    NothingNamed,
    /// <summary>More matched than one turn may read (bounded pages): nothing is acted on; ask to narrow.</summary>
    TooManyToRead,
}
