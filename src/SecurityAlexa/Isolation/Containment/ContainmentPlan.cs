namespace SecurityAlexa.Isolation.Containment;

/// <summary>
/// What containment will change on one instance, read (never changed) before the read-back so that the yes confirms
/// what will actually happen. <see cref="Known"/> is false when the reads failed or ran out of time: the read-back then
/// says each step "where it applies".
/// </summary>
internal sealed record ContainmentPlan(string InstanceId, bool Known, bool ScaleInProtection = false, bool Standby = false,
    int TargetGroups = 0, int Volumes = 0, bool RevokeSessions = false)
{
    // Sequential calls before any step: the record read, the Auto Scaling read, the target-group list and each group's
    // targets (read in parallel), the instance's volumes.
    private const int Reads = 5;

    // A step is recorded (started), taken, and recorded (done).
    private const int PerStep = 3;

    /// <summary>The steps it will take, in the order they are taken.</summary>
    public IEnumerable<ContainmentAction> Steps
    {
        get
        {
            if (ScaleInProtection) yield return ContainmentAction.ScaleInProtection;
            if (Standby) yield return ContainmentAction.Standby;
            if (TargetGroups > 0) yield return ContainmentAction.Deregister;
            if (Volumes > 0) yield return ContainmentAction.KeepVolumes;
            if (RevokeSessions) yield return ContainmentAction.RevokeSessions;
        }
    }

    /// <summary>
    /// Round trips the steps make one after another, for the estimate that decides whether an isolation fits the turn;
    /// the role's lookup adds one to its step.
    /// </summary>
    public int RoundTrips => Known ? Reads + Steps.Count() * PerStep + (RevokeSessions ? 1 : 0) : WorstCase(RevokeSessions);

    /// <summary>Round trips when every step applies (nothing read beforehand: a tag event, a queued unit).</summary>
    public static int WorstCase(bool revokeSessions) => Reads + (revokeSessions ? 5 : 4) * PerStep + (revokeSessions ? 1 : 0);
}
