namespace SecurityAlexa.Isolation;

/// <summary>The result of one release request.</summary>
internal sealed record ReleaseReport(IReadOnlyList<InstanceRelease> Instances)
{
    /// <summary>Instances by outcome.</summary>
    public IReadOnlyList<InstanceRelease> With(ReleaseOutcome outcome) => Instances.Where(i => i.Outcome == outcome).ToList();
}
