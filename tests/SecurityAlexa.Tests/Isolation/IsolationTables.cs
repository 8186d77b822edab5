using SecurityAlexa.State;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>What the state table holds after the skill created a VPC's groups, for tests whose groups exist already.</summary>
internal static class IsolationTables
{
    public static async Task RecordGroupsAsync(IStateTable table, string vpc, string? isolation, string? allowAll, DateTimeOffset now)
    {
        var update = new StateUpdate().Set(StateItem.KindAttribute, StateValue.Of("isolation-groups"));
        if (isolation is not null) update.Set("isolation", StateValue.Of(isolation));
        if (allowAll is not null) update.Set("allow-all", StateValue.Of(allowAll));
        await table.UpdateAsync(StateKeys.IsolationGroups(vpc), update, null, now, CancellationToken.None);
    }
}

/// <summary>Seeds for tests that start from an instance the skill isolated earlier.</summary>
internal static class IsolationSeeds
{
    /// <summary>The table's record of an isolation that finished: one interface, its originals, protection as it was.</summary>
    public static async Task RecordIsolatedAsync(IStateTable table, string instanceId, string interfaceId, IReadOnlyList<string> originals,
        bool protectionBefore, string by, DateTimeOffset at, string reason, params string[] groups)
    {
        var ledger = new SecurityAlexa.Isolation.IsolationLedger(table);
        var entry = new SecurityAlexa.Isolation.IsolationEntry(instanceId, SecurityAlexa.Isolation.IsolationEntry.Isolating, 0,
            [new SecurityAlexa.Isolation.RecordedInterface { Id = interfaceId, Groups = [.. originals], AllowAllSince = at.ToUnixTimeSeconds() }],
            protectionBefore, by, at, reason, groups, at);
        var begun = await ledger.BeginAsync(entry, at, CancellationToken.None) ?? throw new InvalidOperationException("seeded twice");
        _ = await ledger.WriteAsync(begun with { State = SecurityAlexa.Isolation.IsolationEntry.Isolated }, begun.Version, at, CancellationToken.None)
            ?? throw new InvalidOperationException("seed overtaken");
    }
}
