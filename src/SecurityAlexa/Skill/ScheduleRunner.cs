using System.Text.Json;

namespace SecurityAlexa.Skill;

/// <summary>
/// The EventBridge schedule (every 5 minutes): runs every module's <see cref="IScheduledJob"/>. A job that fails is
/// logged and named in the result; the others still run.
/// </summary>
internal sealed class ScheduleRunner(IReadOnlyList<IScheduledJob> jobs, WorkQueueAddress? queue, SkillConfig config, SkillLog log,
    TimeProvider time)
{
    /// <summary>True for an EventBridge scheduled event (source <c>aws.events</c>, detail type <c>Scheduled Event</c>).</summary>
    public static bool IsScheduled(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "aws.events"
        && root.TryGetProperty("detail-type", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == "Scheduled Event";

    /// <summary>Runs the jobs, one after another, within the invocation's deadline.</summary>
    public async Task<EventResult> RunAsync(JsonElement evt, DateTimeOffset? lambdaDeadline, CancellationToken cancellationToken)
    {
        var account = evt.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (queue is not null && account != queue.Account)
        {
            log.Security("schedule.rejected", ("why", "event from another account"), ("account", account));
            return new EventResult("rejected", "event from another account");
        }
        if (jobs.Count == 0) return new EventResult("ran", "no jobs");

        // Nobody waits for this answer: it may use the invocation's whole time, not an Alexa turn's.
        var deadline = BackgroundDeadline.For(time.GetUtcNow(), config, lambdaDeadline);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(deadline + BackgroundDeadline.Margin / 2 - time.GetUtcNow());
        var results = new List<string>();
        var failed = false;
        foreach (var job in jobs)
        {
            try
            {
                var result = await job.RunAsync(deadline, budget.Token).ConfigureAwait(false);
                log.Info("schedule.job", ("job", job.Name), ("status", result.Status), ("detail", result.Detail));
                results.Add(job.Name + "=" + result.Status);
            }
            catch (Exception e)
            {
                failed = true;
                log.Error("schedule.job-failed", ("job", job.Name), ("exception", e.GetType().FullName), ("message", e.Message));
                results.Add(job.Name + "=failed");
            }
        }
        return new EventResult(failed ? "failed" : "ran", string.Join(", ", results));
    }
}
