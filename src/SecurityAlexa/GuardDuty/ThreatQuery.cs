namespace SecurityAlexa.GuardDuty;

/// <summary>Which open (not archived) findings a question is about.</summary>
/// <param name="Since">Only findings updated at or after this moment.</param>
/// <param name="MinSeverity">Only findings at least this severe (GuardDuty's 0 to 10 scale).</param>
/// <param name="InstanceIds">Only findings about these instances; null for every resource.</param>
/// <param name="AccountIds">
/// Only findings of these accounts; null for the detector's own account. This is the seam for issue 14 (member
/// accounts): an administrator detector sees its members' findings, and the accounts asked about go here.
/// </param>
internal sealed record ThreatQuery(
    DateTimeOffset Since,
    double MinSeverity = 0,
    IReadOnlyList<string>? InstanceIds = null,
    IReadOnlyList<string>? AccountIds = null);
