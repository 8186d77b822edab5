namespace SecurityAlexa.GuardDuty;

/// <summary>One GuardDuty finding as the skill speaks of it.</summary>
/// <param name="Id">The finding id (on the card, and recorded as the reason of an isolation).</param>
/// <param name="Type">The finding type, such as Backdoor:EC2/C&amp;CActivity.B!DNS.</param>
/// <param name="Severity">GuardDuty's 0 to 10 severity.</param>
/// <param name="Title">GuardDuty's one-line title.</param>
/// <param name="InstanceId">The EC2 instance the finding is about, when it is about one.</param>
/// <param name="InstanceName">That instance's Name tag, as GuardDuty recorded it.</param>
/// <param name="AccountId">The account of the finding.</param>
/// <param name="UpdatedAt">When GuardDuty last saw the activity.</param>
internal sealed record ThreatFinding(
    string Id,
    string Type,
    double Severity,
    string? Title,
    string? InstanceId,
    string? InstanceName,
    string? AccountId,
    DateTimeOffset? UpdatedAt);
