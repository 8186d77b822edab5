namespace SecurityAlexa.Isolation;

/// <summary>
/// What flow logs to look for an instance's traffic in: its interfaces, and the VPCs they and the instance sit in (a flow
/// log may be attached to either). A terminated instance's interfaces no longer carry traffic, so it has none.
/// </summary>
internal static class FlowLogScope
{
    /// <summary>The live instance's interface ids, and every resource a flow log over them may be attached to.</summary>
    public static (IReadOnlyList<string> Interfaces, IReadOnlyList<string> Resources) Of(IReadOnlyList<IsolationSubject> described,
        string? instanceVpc)
    {
        var subject = described.FirstOrDefault(s => !s.IsTerminated);
        var interfaces = subject?.Interfaces.Select(i => i.Id).ToList() ?? [];
        var resources = interfaces.Concat(subject?.Interfaces.Select(i => i.VpcId ?? subject.VpcId) ?? []).Append(instanceVpc)
            .Where(r => r is not null).Select(r => r!).Distinct(StringComparer.Ordinal).ToList();
        return (interfaces, resources);
    }
}
