using SecurityAlexa.AwsContract;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Every 5 minutes (the function's schedule): finishes isolations the record says did not finish, so that no interface
/// stays in the allow-all group, which lets every flow in. It takes records in isolating whose writer is gone (its lease
/// ran out), and any record with an interface in the allow-all group for more than a minute, whoever holds it; each
/// one it finishes is posted to the chat channel.
/// </summary>
internal sealed class IsolationSweeper(InstanceIsolator isolator, IChatNotifier? chat, SkillLog log, TimeProvider time, Lang lang)
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
        List<IsolationEntry> due;
        try
        {
            unfinished = await isolator.Ledger.SweepCandidatesAsync(MaxPerRun, Recent, now, cancellationToken).ConfigureAwait(false);
            due = unfinished.Where(e => IsDue(e, now)).ToList();
            // A record that says isolated, written alongside its last move on: EC2 says whether that move happened.
            var toCheck = unfinished.Where(e => e.State == IsolationEntry.Isolated && !e.IsActive(now) && !e.HasRecentAllowAll(now))
                .Select(e => e.InstanceId).ToList();
            if (toCheck.Count > 0)
            {
                var whole = await isolator.FullyIsolatedAsync(toCheck, cancellationToken).ConfigureAwait(false);
                var subjects = await isolator.DescribeAsync(toCheck.Where(id => !whole.Contains(id)).ToList(), cancellationToken)
                    .ConfigureAwait(false);
                // Only an interface still in an allow-all group: one moved elsewhere by hand after the isolation is left to the people.
                var open = subjects.Where(s => s.Interfaces.Any(i => InAllowAllGroupByName(i, s.VpcId))).Select(s => s.InstanceId)
                    .ToHashSet(StringComparer.Ordinal);
                due.AddRange(unfinished.Where(e => open.Contains(e.InstanceId)));
            }
        }
        catch (AwsCallException e)
        {
            log.Warn("sweeper.unreadable", ("operation", e.Operation), ("failure", e.Failure.ToString()));
            return new EventResult("failed", e.Operation + " " + (e.ErrorCode ?? e.Failure.ToString()));
        }
        if (due.Count == 0) return new EventResult("nothing-to-do", $"{unfinished.Count} unfinished, none due");

        var outcomes = new List<string>();
        foreach (var entry in due)
        {
            if (time.GetUtcNow() >= deadline - isolator.Options.Reserve) break;
            var request = new IsolationRequest(entry.IsolatedBy, entry.Reason, entry.IsolatedAt);
            var report = await isolator.IsolateAsync([entry.InstanceId], request,
                new IsolationBudget(deadline - isolator.Options.Reserve, time), cancellationToken).ConfigureAwait(false);
            var result = report.Instances.Single();
            outcomes.Add(entry.InstanceId + "=" + result.Outcome);
            log.Info("sweeper.finished", ("instance", entry.InstanceId), ("outcome", result.Outcome.ToString()),
                ("isolatedBy", entry.IsolatedBy));
            if (result.Outcome is IsolationOutcome.Busy) continue;
            var text = IsolationSpeech.IsolationChat(lang, report, lang.Text("isolate.chat.bySweeper"), entry.Reason, isolator.Options)
                ?? lang.Text("isolate.chat.sweeperUnchanged", ("id", entry.InstanceId), ("outcome", lang.Text("isolate.outcome." + result.Outcome)));
            if (chat is null) continue;
            var delivery = await chat.NotifyAsync(new ChatMessage(text), cancellationToken).ConfigureAwait(false);
            if (!delivery.Delivered) log.Warn("chat.failed", ("instance", entry.InstanceId), ("why", delivery.Failure));
        }
        return new EventResult(outcomes.Count == due.Count ? "swept" : "swept-partly", string.Join(", ", outcomes));
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
