namespace SecurityAlexa.Isolation;

/// <summary>
/// Where an instance is in its life, as EC2 reported it. The adapter reports every state; which of them isolation,
/// release and status act on is decided in this folder.
/// </summary>
internal enum InstanceRunState
{
    /// <summary>A state EC2 named that this skill does not know.</summary>
    Unknown,
    Pending,
    Running,
    Stopping,
    Stopped,
    /// <summary>Being terminated: its interfaces still exist until it is gone.</summary>
    ShuttingDown,
    /// <summary>Gone: nothing on it can be changed any more, though EC2 lists it for a while.</summary>
    Terminated,
}
