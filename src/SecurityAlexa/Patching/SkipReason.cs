namespace SecurityAlexa.Patching;

/// <summary>Why an instance is left out of a patch run.</summary>
internal enum SkipReason
{
    /// <summary>This skill isolated it; patching (and rebooting) it would disturb the investigation.</summary>
    Isolated,
    /// <summary>It is stopped or stopping, so no command can reach it.</summary>
    NotRunning,
    /// <summary>Systems Manager does not manage it: no SSM agent, or no instance profile.</summary>
    NoAgent,
    /// <summary>The agent is registered but not answering (ConnectionLost, Inactive).</summary>
    AgentNotResponding,
    /// <summary>Tagged SecurityAlexa:Protected: the skill never changes it, and IAM denies SendCommand on it.</summary>
    Protected,
}
