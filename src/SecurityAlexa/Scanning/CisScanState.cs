namespace SecurityAlexa.Scanning;

/// <summary>Where a CIS scan stands.</summary>
internal enum CisScanState
{
    /// <summary>Still running.</summary>
    InProgress,
    /// <summary>Finished.</summary>
    Completed,
    /// <summary>Failed.</summary>
    Failed,
    /// <summary>Cancelled.</summary>
    Cancelled,
    /// <summary>A state this code does not know.</summary>
    Unknown,
}
