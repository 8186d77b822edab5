using System.Text.Json;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The isolation records and the skill's group ids in the state table (docs/state.md). Every write of a record is
/// conditioned on the version that was read and adds one to it, so two writers (isolate twice, isolate against release,
/// the sweeper against a turn) cannot both win; the loser gets null and reads again.
/// </summary>
/// <remarks>Given a <paramref name="scope"/>, every record it begins names that account and region.</remarks>
internal sealed class IsolationLedger(IStateTable table, IsolationScope? scope = null)
{
    /// <summary>The record kind.</summary>
    public const string Kind = "isolation";

    /// <summary>The kind of the per-VPC item naming the groups the skill created.</summary>
    public const string GroupsKind = "isolation-groups";

    /// <summary>The kind of the item that says where the last sweep stopped.</summary>
    public const string SweepCursorKind = "sweep-cursor";

    /// <summary>How long a sweep cursor is kept: a few of the schedule's 5-minute runs.</summary>
    public static readonly TimeSpan CursorLifetime = TimeSpan.FromMinutes(30);

    /// <summary>How long a released record is kept.</summary>
    public static readonly TimeSpan KeepReleased = TimeSpan.FromDays(90);

    private const string StateAttribute = "state";
    private const string InstanceAttribute = "instanceId";
    private const string InterfacesAttribute = "interfaces";
    private const string ProtectionAttribute = "terminationProtectionBefore";
    private const string ByAttribute = "isolatedBy";
    private const string AtAttribute = "isolatedAt";
    private const string ReasonAttribute = "reason";
    private const string CreatedGroupsAttribute = "createdGroups";
    private const string UpdatedAttribute = "updatedAt";
    private const string ReleasedByAttribute = "releasedBy";
    private const string ReleasedAtAttribute = "releasedAt";
    private const string WorkingUntilAttribute = "workingUntil";
    private const string AccountAttribute = "account";
    private const string RegionAttribute = "region";
    private const string CursorAttribute = "after";

    /// <summary>The record of an instance, or null when it has none.</summary>
    public async Task<IsolationEntry?> ReadAsync(string instanceId, DateTimeOffset now, CancellationToken ct) =>
        FromItem(await table.GetAsync(StateKeys.Isolation(instanceId), now, ct).ConfigureAwait(false));

    /// <summary>The records of many instances, by instance id; an instance without one is not in the answer.</summary>
    public async Task<IReadOnlyDictionary<string, IsolationEntry>> ReadManyAsync(IReadOnlyCollection<string> instanceIds,
        DateTimeOffset now, CancellationToken ct)
    {
        var items = await table.GetManyAsync(instanceIds.Select(StateKeys.Isolation).ToList(), now, ct).ConfigureAwait(false);
        return items.Values.Select(FromItem).OfType<IsolationEntry>().ToDictionary(e => e.InstanceId, StringComparer.Ordinal);
    }

    /// <summary>
    /// Starts a record (state isolating) where there is none or only a released one; returns it with its version, or null
    /// when another isolation or a release holds the instance (nothing was written).
    /// </summary>
    public async Task<IsolationEntry?> BeginAsync(IsolationEntry entry, DateTimeOffset now, CancellationToken ct)
    {
        var update = Fields(entry with { State = IsolationEntry.Isolating, UpdatedAt = now })
            .Set(StateItem.KindAttribute, StateValue.Of(Kind))
            .Set(InstanceAttribute, StateValue.Of(entry.InstanceId))
            .Add(StateItem.VersionAttribute, 1)
            .Remove(ReleasedByAttribute).Remove(ReleasedAtAttribute).Remove(StateItem.ExpiryAttribute);
        // Where the instance lives; a record without it is the home account's in the home region.
        if (scope is not null)
            update.Set(AccountAttribute, StateValue.Of(scope.AccountId)).Set(RegionAttribute, StateValue.Of(scope.Region));
        var free = StateCondition.Absent.Or(StateCondition.TextIs(StateAttribute, IsolationEntry.Released));
        return FromItem(await table.UpdateAsync(StateKeys.Isolation(entry.InstanceId), update, free, now, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Writes the record's changing parts (state, interfaces, release) if it is still at <paramref name="readVersion"/>;
    /// returns it at its new version, or null when someone else wrote it first (nothing was written).
    /// </summary>
    public async Task<IsolationEntry?> WriteAsync(IsolationEntry next, long readVersion, DateTimeOffset now, CancellationToken ct)
    {
        var update = Fields(next with { UpdatedAt = now }).Add(StateItem.VersionAttribute, 1);
        if (next.State == IsolationEntry.Released)
        {
            update.Set(ReleasedByAttribute, StateValue.Of(next.ReleasedBy ?? ""))
                .Set(ReleasedAtAttribute, StateValue.Of(next.ReleasedAt ?? now))
                .Set(StateItem.ExpiryAttribute, StateValue.Of((next.ReleasedAt ?? now) + KeepReleased));
        }
        var condition = StateCondition.Live.And(StateCondition.VersionIs(readVersion));
        return FromItem(await table.UpdateAsync(StateKeys.Isolation(next.InstanceId), update, condition, now, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The sweeper's work list, oldest write first: records still isolating, and records that said isolated within
    /// <paramref name="recent"/> (their last move on may not have happened; EC2 tells). One bounded scan from
    /// <paramref name="after"/> (a <see cref="StateScan.Continuation"/>, or null for the start); the continuation returned is
    /// null only when the scan reached the end of the table.
    /// </summary>
    public async Task<(IReadOnlyList<IsolationEntry> Entries, string? Continuation)> SweepCandidatesAsync(int limit, TimeSpan recent,
        string? after, DateTimeOffset now, CancellationToken ct)
    {
        var filter = StateCondition.TextIs(StateAttribute, IsolationEntry.Isolating)
            .Or(StateCondition.TextIs(StateAttribute, IsolationEntry.Isolated).And(StateCondition.Above(UpdatedAttribute,
                (now - recent).ToUnixTimeSeconds())));
        var scan = await table.ScanAsync(Kind, filter, limit, after, now, ct).ConfigureAwait(false);
        var entries = scan.Items.Select(FromItem).Where(e => e is not null).Select(e => e!).OrderBy(e => e.UpdatedAt).ToList();
        return (entries, scan.Continuation);
    }

    /// <summary>Where the last sweep stopped short of the end of the table, or null (start from the top).</summary>
    public async Task<string?> SweepCursorAsync(DateTimeOffset now, CancellationToken ct) =>
        (await table.GetAsync(StateKeys.SweepCursor, now, ct).ConfigureAwait(false))?.Text(CursorAttribute);

    /// <summary>
    /// Keeps where this sweep stopped, for the next run to go on from; null (the end was reached) forgets it. The cursor
    /// expires after <see cref="CursorLifetime"/>, so a sweeper that stopped running starts again from the top.
    /// </summary>
    public Task SaveSweepCursorAsync(string? continuation, DateTimeOffset now, CancellationToken ct) => continuation is null
        ? table.DeleteAsync(StateKeys.SweepCursor, ct)
        : table.UpdateAsync(StateKeys.SweepCursor, new StateUpdate()
            .Set(StateItem.KindAttribute, StateValue.Of(SweepCursorKind))
            .Set(CursorAttribute, StateValue.Of(continuation))
            .Set(UpdatedAttribute, StateValue.Of(now))
            .Set(StateItem.ExpiryAttribute, StateValue.Of(now + CursorLifetime)), null, now, ct);

    /// <summary>The ids of the groups the skill created in a VPC, by role ("isolation", "allow-all"); empty when none.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CreatedGroupsAsync(string vpcId, DateTimeOffset now, CancellationToken ct)
    {
        var item = await table.GetAsync(StateKeys.IsolationGroups(vpcId), now, ct).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in new[] { IsolationRecord.IsolationRole, IsolationRecord.AllowAllRole })
        {
            if (item?.Text(role) is { Length: > 0 } id) result[role] = id;
        }
        return result;
    }

    /// <summary>
    /// Records a group the skill has just created, unless one is recorded for the role already; returns the recorded id
    /// (this one, or the one another invocation recorded first).
    /// </summary>
    public async Task<string?> RecordCreatedGroupAsync(string vpcId, string role, string groupId, string? replacing, DateTimeOffset now,
        CancellationToken ct)
    {
        var key = StateKeys.IsolationGroups(vpcId);
        var update = new StateUpdate().Set(StateItem.KindAttribute, StateValue.Of(GroupsKind)).Set(role, StateValue.Of(groupId))
            .Set(role + "CreatedAt", StateValue.Of(now));
        var condition = replacing is null ? StateCondition.Absent.Or(Missing(role)) : StateCondition.TextIs(role, replacing);
        var written = await table.UpdateAsync(key, update, condition, now, ct).ConfigureAwait(false);
        if (written is not null) return groupId;
        return (await table.GetAsync(key, now, ct).ConfigureAwait(false))?.Text(role);
    }

    // The role's attribute is absent: an item only counts as missing it when the role's text is not there (an empty text
    // is never written).
    private static StateCondition Missing(string role) => new StateCondition.AttributeAbsent(role);

    private static StateUpdate Fields(IsolationEntry e)
    {
        var update = new StateUpdate()
            .Set(StateAttribute, StateValue.Of(e.State))
            .Set(InterfacesAttribute, StateValue.Of(JsonSerializer.Serialize(e.Interfaces.ToList(),
                IsolationJsonContext.Default.ListRecordedInterface)))
            .Set(ByAttribute, StateValue.Of(e.IsolatedBy))
            .Set(AtAttribute, StateValue.Of(e.IsolatedAt))
            .Set(ReasonAttribute, StateValue.Of(e.Reason))
            .Set(CreatedGroupsAttribute, StateValue.Of(string.Join(' ', e.CreatedGroups)))
            .Set(UpdatedAttribute, StateValue.Of(e.UpdatedAt));
        if (e.TerminationProtectionBefore is { } before) update.Set(ProtectionAttribute, StateValue.Of(before ? "true" : "false"));
        if (e.WorkingUntil is { } until) update.Set(WorkingUntilAttribute, StateValue.Of(until));
        else update.Remove(WorkingUntilAttribute);
        return update;
    }

    private static IsolationEntry? FromItem(StateItem? item)
    {
        if (item is null || item.Text(StateItem.KindAttribute) != Kind) return null;
        List<RecordedInterface> interfaces;
        try
        {
            interfaces = JsonSerializer.Deserialize(item.Text(InterfacesAttribute) ?? "[]",
                IsolationJsonContext.Default.ListRecordedInterface) ?? [];
        }
        catch (JsonException)
        {
            // A record edited by hand into nonsense restores nothing rather than something wrong.
            interfaces = [];
        }
        return new IsolationEntry(
            item.Text(InstanceAttribute) ?? item.Key[(item.Key.IndexOf('#', StringComparison.Ordinal) + 1)..],
            item.Text(StateAttribute) ?? IsolationEntry.Isolating,
            item.Version,
            interfaces,
            item.Text(ProtectionAttribute) switch { "true" => true, "false" => false, _ => null },
            item.Text(ByAttribute) ?? "",
            item.Time(AtAttribute) ?? DateTimeOffset.UnixEpoch,
            item.Text(ReasonAttribute) ?? "",
            (item.Text(CreatedGroupsAttribute) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            item.Time(UpdatedAttribute) ?? DateTimeOffset.UnixEpoch,
            item.Text(ReleasedByAttribute),
            item.Time(ReleasedAtAttribute),
            item.Time(WorkingUntilAttribute),
            item.Text(AccountAttribute),
            item.Text(RegionAttribute));
    }
}
