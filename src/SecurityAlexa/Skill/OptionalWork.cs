namespace SecurityAlexa.Skill;

/// <summary>
/// Waits for detail the answer can do without (a card link, per-instance breakdowns) only while the turn can
/// afford it, so that slow AWS costs the detail rather than the whole answer.
/// </summary>
public static class OptionalWork
{
    /// <summary>Time kept back before the request deadline for building and returning the answer.</summary>
    public static readonly TimeSpan Reserve = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The task's result if it finishes before the turn's deadline less <see cref="Reserve"/>, else the fallback.
    /// A task that finishes in time and fails rethrows; one that is given up on is observed, so its failure is not lost unobserved.
    /// </summary>
    public static async Task<T> WithinTurnAsync<T>(TurnContext turn, Task<T> task, T fallback, string what)
    {
        if (task.IsCompleted || turn.Deadline == DateTimeOffset.MaxValue) return await task.ConfigureAwait(false);
        var left = turn.Deadline - Reserve - turn.Time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            using var cts = new CancellationTokenSource();
            var first = await Task.WhenAny(task, Task.Delay(left, turn.Time, cts.Token)).ConfigureAwait(false);
            if (first == task)
            {
                // Cancel, not CancelAsync: it only stops a timer, and the answer should not wait for a thread-pool hop.
                cts.Cancel();
                return await task.ConfigureAwait(false);
            }
        }
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        turn.Log.Warn("turn.optional-skipped", ("requestId", turn.RequestId), ("what", what));
        return fallback;
    }
}
