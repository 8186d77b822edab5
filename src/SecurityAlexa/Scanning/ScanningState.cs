namespace SecurityAlexa.Scanning;

/// <summary>Whether Amazon Inspector scans EC2 in the account, as BatchGetAccountStatus reports it.</summary>
internal enum ScanningState
{
    /// <summary>EC2 scanning is on.</summary>
    Enabled,
    /// <summary>EC2 scanning is being turned on.</summary>
    Enabling,
    /// <summary>EC2 scanning is off.</summary>
    Disabled,
    /// <summary>EC2 scanning is being turned off.</summary>
    Disabling,
    /// <summary>Inspector is suspended for the account.</summary>
    Suspended,
    /// <summary>Anything else.</summary>
    Unknown,
}
