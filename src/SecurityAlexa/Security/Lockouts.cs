using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// Wrong-code counts and lockouts, in the state table so that every container sees them (docs/state.md).
/// Each wrong code is one atomic ADD on the speaker's counter and one on the hour's total, so two wrong
/// codes given at once on two devices both count. Reaching the limit locks the speaker; each lockout within
/// a day lasts twice the one before (at most a day). Reaching the hourly total locks everyone until the
/// hour ends: several voices guessing in turn cannot add up to more tries.
/// </summary>
internal sealed class Lockouts(IStateTable table, SecuritySettings settings)
{
    private const string Kind = "code-attempts", TotalKind = "code-attempts-total";
    private const string Failures = "failures", WindowEnds = "windowEnds", Level = "level", LockedAt = "lockedAt";

    /// <summary>How long a speaker's lockouts are remembered for escalation after the last wrong code.</summary>
    public static readonly TimeSpan EscalationMemory = TimeSpan.FromHours(24);

    /// <summary>The longest lockout.</summary>
    public static readonly TimeSpan LongestLock = TimeSpan.FromHours(24);

    /// <summary>The speaker's record now: wrong codes in the open window, and any lock on them or on everyone.</summary>
    public async Task<LockoutRecord> ReadAsync(string who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var speaker = table.GetAsync(StateKeys.CodeAttempts(who), now, cancellationToken);
        var total = table.GetAsync(StateKeys.CodeAttemptsTotal(now), now, cancellationToken);
        await Observed.WhenAllAsync(speaker, total).ConfigureAwait(false);
        return Record(await speaker.ConfigureAwait(false), (await total.ConfigureAwait(false))?.Number(Failures) ?? 0, now);
    }

    /// <summary>Counts one wrong code for the speaker and in the hour's total, and returns the record afterwards.</summary>
    public async Task<LockoutRecord> RecordFailureAsync(string who, LockoutRecord current, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var hourEnds = HourStart(now).AddHours(1);
        var total = table.UpdateAsync(StateKeys.CodeAttemptsTotal(now),
            new StateUpdate().Add(Failures, 1).Set(StateItem.KindAttribute, StateValue.Of(TotalKind))
                .Set(StateItem.ExpiryAttribute, StateValue.Of(hourEnds.AddHours(1))),
            null, now, cancellationToken);
        var speaker = CountAsync(who, current.WindowOpen, now, cancellationToken);
        await Observed.WhenAllAsync(total, speaker).ConfigureAwait(false);
        var item = await speaker.ConfigureAwait(false);
        var totalCount = (await total.ConfigureAwait(false))?.Number(Failures) ?? 0;

        var failures = item.Number(Failures) ?? 0;
        // Exactly one wrong code reaches the limit, however many containers count at once: that one locks.
        if (failures == settings.MaxCodeAttempts)
        {
            item = await table.UpdateAsync(StateKeys.CodeAttempts(who),
                new StateUpdate().Add(Level, 1).Set(LockedAt, StateValue.Of(now))
                    .Set(StateItem.ExpiryAttribute, StateValue.Of(now + LongestLock + EscalationMemory)),
                null, now, cancellationToken).ConfigureAwait(false) ?? item;
        }
        else if (failures > settings.MaxCodeAttempts)
        {
            // Another container reached the limit first; its lock may not be written yet.
            item = await table.GetAsync(StateKeys.CodeAttempts(who), now, cancellationToken).ConfigureAwait(false) ?? item;
        }
        var record = Record(item, totalCount, now);
        if (failures >= settings.MaxCodeAttempts && record.LockedUntil is null) record = record with { LockedUntil = now
            + settings.LockFor };
        return record with { EveryoneLockedNow = totalCount == settings.MaxTotalCodeAttempts };
    }

    /// <summary>Forgets the speaker's wrong codes after a correct one; the escalation level stays for its day.</summary>
    public Task ClearAsync(string who, DateTimeOffset now, CancellationToken cancellationToken) =>
        table.UpdateAsync(StateKeys.CodeAttempts(who), new StateUpdate().Set(Failures, StateValue.Of(0)), StateCondition.Live, now,
            cancellationToken);

    /// <summary>How long the lock at this escalation level lasts.</summary>
    public TimeSpan LockDuration(long level)
    {
        var doubled = settings.LockFor * Math.Pow(2, Math.Clamp(level - 1, 0, 16));
        return doubled < LongestLock ? doubled : LongestLock;
    }

    // One ADD when a window is open; otherwise a new window on the existing item (keeping its level) or a
    // new item. Each step is conditional, so a racing container's step makes this one move to the next.
    private async Task<StateItem> CountAsync(string who, bool windowOpen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = StateKeys.CodeAttempts(who);
        var nowSeconds = now.ToUnixTimeSeconds();
        var remember = StateValue.Of(now + EscalationMemory);
        for (var round = 0; round < 3; round++)
        {
            if (windowOpen || round > 0)
            {
                var added = await table.UpdateAsync(key, new StateUpdate().Add(Failures, 1).Set(StateItem.ExpiryAttribute, remember),
                    StateCondition.Above(WindowEnds, nowSeconds), now, cancellationToken).ConfigureAwait(false);
                if (added is not null) return added;
            }
            var reopened = await table.UpdateAsync(key,
                new StateUpdate().Set(Failures, StateValue.Of(1)).Set(WindowEnds, StateValue.Of(now + settings.LockFor))
                    .Set(StateItem.ExpiryAttribute, remember),
                StateCondition.Live.And(StateCondition.AtMost(WindowEnds, nowSeconds)), now, cancellationToken).ConfigureAwait(false);
            if (reopened is not null) return reopened;
            var fresh = new StateItem(key, new Dictionary<string, StateValue>(StringComparer.Ordinal)
            {
                [StateItem.KindAttribute] = StateValue.Of(Kind),
                [Failures] = StateValue.Of(1),
                [WindowEnds] = StateValue.Of(now + settings.LockFor),
                [Level] = StateValue.Of(0),
                [StateItem.ExpiryAttribute] = remember,
            });
            if (await table.PutAsync(fresh, StateCondition.Absent, now, cancellationToken).ConfigureAwait(false)) return fresh;
        }
        // Three rounds lost to other containers: say the check could not run rather than not count the code.
        throw new AwsCallException(AwsOperations.DynamoUpdateItem, AwsFailure.Throttled, "TooManyConflicts",
            null, "The wrong-code counter kept changing under this request.");
    }

    private LockoutRecord Record(StateItem? speaker, long total, DateTimeOffset now)
    {
        var windowOpen = speaker?.Time(WindowEnds) is { } ends && ends > now;
        var level = speaker?.Number(Level) ?? 0;
        DateTimeOffset? lockedUntil = speaker?.Time(LockedAt) is { } at && level > 0 && at + LockDuration(level) > now ? at
            + LockDuration(level) : null;
        var everyone = total >= settings.MaxTotalCodeAttempts;
        if (everyone)
        {
            var hourEnds = HourStart(now).AddHours(1);
            if (lockedUntil is null || hourEnds > lockedUntil) lockedUntil = hourEnds;
        }
        return new LockoutRecord
        {
            Failures = windowOpen ? (int)Math.Min(speaker?.Number(Failures) ?? 0, int.MaxValue) : 0,
            WindowOpen = windowOpen,
            Level = level,
            LockedUntil = lockedUntil,
            Everyone = everyone,
        };
    }

    private static DateTimeOffset HourStart(DateTimeOffset now)
        => new(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
}
