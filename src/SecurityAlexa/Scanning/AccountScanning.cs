namespace SecurityAlexa.Scanning;

/// <summary>The account and the state of its EC2 scanning.</summary>
internal sealed record AccountScanning(string AccountId, ScanningState Ec2, string? ErrorCode = null);
