using SecurityAlexa.AwsContract;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Every 5 minutes (the function's schedule): finishes isolations the record says did not finish, so that no interface
/// stays in the allow-all group, which lets every flow in. It takes records in isolating whose writer is gone (its lease
/// ran out), and any record with an interface in the allow-all group for more than a minute, whoever holds it; each
/// one it finishes is posted to the chat channel. Each record is finished in its own account and region (through
/// <paramref name="elsewhere"/>); a scope that cannot be reached is posted, and the others go on.
/// </summary>
internal sealed class IsolationSweeper(InstanceIsolator isolator, IChatNotifier? chat, SkillLog log, TimeProvider time, Lang lang,
    Func<string, string, (InstanceIsolator Isolator, IChatNotifier? Chat)?>? elsewhere = null)
    : IScheduledJob
{
    // Records looked at per run; the next run, 5 minutes later, takes the rest.
    private const int MaxPerRun = 25;

    // How long after a record said isolated the sweeper still checks EC2 for an interface left in the allow-all group: three
    // runs of the schedule.
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public string Name => "isolation-sweeper";

    /// <inheritdoc />
    public async Task<EventResult> RunAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<IsolationEntry> unfinished;
        string? after;
        string? continuation;
        try
        {
            // One bounded scan a run, going on from where the last one stopped: a table larger than a scan is read over
            // several runs, never taken as read whole.
            after = await isolator.Ledger.SweepCursorAsync(now, cancellationToken).ConfigureAwait(false);
            (unfinished, continuation) = await isolator.Ledger.SweepCandidatesAsync(MaxPerRun, Recent, after, now, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            log.Warn("sweeper.unreadable", ("operation", e.Operation), ("failure", e.Failure.ToString()));
            return new EventResult("failed", e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString()));
        }
        await SaveCursorAsync(after, continuation, now, cancellationToken).ConfigureAwait(false);
        var result = await SweepAllAsync(unfinished, now, deadline, cancellationToken).ConfigureAwait(false);
        // What this run did not read is said, in the result and the log: the next run goes on from there.
        return continuation is null ? result : result with { Detail = result.Detail + "; more records unread, the next run goes on" };
    }

    private async Task SaveCursorAsync(string? after, string? continuation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (continuation is not null)
            log.Warn("sweeper.more", ("after", after), ("continuation", continuation),
                ("why", "the scan stopped before the end of the table"));
        if (after is null && continuation is null) return;
        try
        {
            await isolator.Ledger.SaveSweepCursorAsync(continuation, now, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            // The next run starts from the top instead: slower to reach the rest, never wrong about what it read.
            log.Warn("sweeper.cursor-unsaved", ("operation", e.Operation), ("failure", e.Failure.ToString()));
        }
    }

    private async Task<EventResult> SweepAllAsync(IReadOnlyList<IsolationEntry> unfinished, DateTimeOffset now, DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {

        var outcomes = new List<string>();
        var due = 0;
        var failed = new List<string>();
        // A record without a scope, or with this isolator's own, is finished here; each other scope by its own isolator.
        foreach (var group in unfinished.GroupBy(e => e.ScopeKey == isolator.Scope?.Key ? null : e.ScopeKey))
        {
            var entries = group.ToList();
            var first = entries[0];
            (InstanceIsolator Isolator, IChatNotifier? Chat)? there;
            string? why = null;
            try
            {
                there = group.Key is null ? (isolator, chat) : elsewhere?.Invoke(first.Account!, first.Region!);
                if (there is null) why = "not enrolled";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                there = null;
                why = e.Message;
            }
            if (there is null)
            {
                await UnreachableAsync(entries, why ?? "not enrolled", cancellationToken).ConfigureAwait(false);
                failed.Add(group.Key ?? "home");
                continue;
            }
            try
            {
                var (count, done) = await SweepAsync(there.Value.Isolator, there.Value.Chat, entries, now, deadline, cancellationToken)
                    .ConfigureAwait(false);
                due += count;
                outcomes.AddRange(done);
            }
            catch (AwsCallException e)
            {
                log.Warn("sweeper.unreadable", ("scope", group.Key), ("operation", e.Operation), ("failure", e.Failure.ToString()));
                if (group.Key is null && unfinished.All(x => x.ScopeKey is null || x.ScopeKey == isolator.Scope?.Key))
                    return new EventResult("failed", e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString()));
                await UnreachableAsync(entries, e.Failure.ToString(), cancellationToken).ConfigureAwait(false);
                failed.Add(group.Key ?? "home");
            }
        }
        if (failed.Count > 0)
            return new EventResult("swept-partly", string.Join(", ", outcomes.Append("unreachable=" + string.Join(" ", failed))));
        if (due == 0) return new EventResult("nothing-to-do", $"{unfinished.Count} unfinished, none due");
        return new EventResult(outcomes.Count == due ? "swept" : "swept-partly", string.Join(", ", outcomes));
    }

    // The records of one scope, with that scope's isolator: how many were due, and the outcome of each one finished.
    private async Task<(int Due, List<string> Outcomes)> SweepAsync(InstanceIsolator there, IChatNotifier? chat,
        List<IsolationEntry> unfinished,
        DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var due = unfinished.Where(e => IsDue(e, now)).ToList();
        // A record that says isolated, written alongside its last move on: EC2 says whether that move happened.
        var toCheck = unfinished.Where(e => e.State == IsolationEntry.Isolated && !e.IsActive(now) && !e.HasRecentAllowAll(now))
            .Select(e => e.InstanceId).ToList();
        if (toCheck.Count > 0)
        {
            var whole = await there.FullyIsolatedAsync(toCheck, cancellationToken).ConfigureAwait(false);
            var subjects = await there.DescribeAsync(toCheck.Where(id => !whole.Contains(id)).ToList(), cancellationToken)
                .ConfigureAwait(false);
            // Only an interface still in an allow-all group: one moved elsewhere by hand after the isolation is left to the people.
            var open = subjects.Where(s => s.Interfaces.Any(i => InAllowAllGroupByName(i, s.VpcId))).Select(s => s.InstanceId)
                .ToHashSet(StringComparer.Ordinal);
            due.AddRange(unfinished.Where(e => open.Contains(e.InstanceId)));
        }

        var outcomes = new List<string>();
        foreach (var entry in due)
        {
            if (time.GetUtcNow() >= deadline - there.Options.Reserve) break;
            var request = new IsolationRequest(entry.IsolatedBy, entry.Reason, entry.IsolatedAt);
            var report = await there.IsolateAsync([entry.InstanceId], request,
                new IsolationBudget(deadline - there.Options.Reserve, time), cancellationToken).ConfigureAwait(false);
            var result = report.Instances.Single();
            outcomes.Add(entry.InstanceId + "=" + result.Outcome);
            log.Info("sweeper.finished", ("instance", entry.InstanceId), ("outcome", result.Outcome.ToString()),
                ("isolatedBy", entry.IsolatedBy), ("account", entry.Account), ("region", entry.Region));
            if (result.Outcome is IsolationOutcome.Busy) continue;
            var text = IsolationSpeech.IsolationChat(lang, report, lang.Text("isolate.chat.bySweeper"), entry.Reason, there.Options)
                ?? lang.Text("isolate.chat.sweeperUnchanged", ("id", entry.InstanceId),
                    ("outcome", lang.Text("isolate.outcome." + result.Outcome)));
            if (chat is null) continue;
            var delivery = await chat.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
            if (!delivery.Delivered) log.Warn("chat.failed", ("instance", entry.InstanceId), ("why", delivery.Failure));
        }
        return (due.Count, outcomes);
    }

    // A scope whose isolator could not be had or whose EC2 did not answer: its records wait for the next run, and people know.
    private async Task UnreachableAsync(List<IsolationEntry> entries, string why, CancellationToken cancellationToken)
    {
        var first = entries[0];
        var ids = entries.Select(e => e.InstanceId).ToList();
        log.Warn("sweeper.scope-unreachable", ("account", first.Account), ("region", first.Region), ("instances", ids), ("why", why));
        // The post names the account and region itself: it is not about this isolator's own.
        var channel = LabelledChat.Unlabelled(chat);
        if (channel is null) return;
        var text = lang.Text("isolate.chat.sweeperUnreachable", ("account", first.Account ?? "home"), ("region", first.Region ?? "home"),
            ("count", ids.Count), ("ids", lang.ListSome(ids, 10)), ("why", why));
        var delivery = await channel.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
        if (!delivery.Delivered) log.Warn("chat.failed", ("why", delivery.Failure));
    }

    /// <summary>True when the sweeper should finish this isolating record now (isolated ones are checked against EC2).</summary>
    public static bool IsDue(IsolationEntry entry, DateTimeOffset now)
    {
        if (entry.State != IsolationEntry.Isolating) return false;
        if (entry.HasOverdueAllowAll(now)) return true;
        // An interface in the allow-all group for less than a minute: its writer may still be moving it on.
        return !entry.IsActive(now) && !entry.HasRecentAllowAll(now);
    }

    private static bool InAllowAllGroupByName(InterfaceState eni, string? instanceVpc) => (eni.VpcId ?? instanceVpc) is { } vpc
        && eni.Groups.Any(g => g.Name == IsolationRecord.GroupName(IsolationRecord.AllowAllRole, vpc));
}
