namespace SecurityAlexa.Skill;

/// <summary>
/// How a handler spends the time left before its request deadline when AWS is slow: detail the answer can do
/// without (a card link, per-instance breakdowns) is waited for only while the turn can afford it, and a change
/// is not started when it could not be confirmed before the deadline.
/// </summary>
internal static class TurnBudget
{
    /// <summary>Time kept back before the request deadline for building and returning the answer.</summary>
    public static readonly TimeSpan Reserve = TurnReserves.Default.Answer;

    /// <summary>The least time a change should have left when it is started (<see cref="TurnReserves.ToStartAChange"/>).</summary>
    public static readonly TimeSpan ToStartAChange = TurnReserves.Default.ToStartAChange;

    /// <summary>
    /// When an invocation's answer must be ready: the earlier of the Lambda deadline and the response budget after
    /// <paramref name="arrival"/>, less the margin for serialising and returning it.
    /// </summary>
    public static DateTimeOffset Deadline(DateTimeOffset arrival, SkillConfig config, DateTimeOffset? lambdaDeadline)
    {
        var budgetEnd = arrival + config.ResponseBudget;
        var end = lambdaDeadline is { } ld && ld < budgetEnd ? ld : budgetEnd;
        return end - config.DeadlineMargin;
    }

    /// <summary>
    /// The moment work that keeps <paramref name="reserve"/> back must be done by; MaxValue when the turn has no deadline.
    /// </summary>
    public static DateTimeOffset FinishBy(TurnContext turn, TimeSpan reserve) =>
        turn.Deadline == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue : turn.Deadline - reserve;

    /// <summary>Time left before the turn's deadline, less <see cref="Reserve"/>.</summary>
    public static TimeSpan Left(TurnContext turn) =>
        turn.Deadline == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : turn.Deadline - Reserve - turn.Time.GetUtcNow();

    /// <summary>True when there is still time to start a change and hear back from AWS within this turn.</summary>
    public static bool CanStartAChange(TurnContext turn) => Left(turn) >= ToStartAChange;

    /// <summary>
    /// The task's result if it finishes before the turn's deadline less <see cref="Reserve"/>, else the fallback.
    /// A task that finishes in time and fails rethrows; one that is given up on is observed, so its failure is not lost unobserved.
    /// </summary>
    public static async Task<T> WithinTurnAsync<T>(TurnContext turn, Task<T> task, T fallback, string what)
    {
        if (task.IsCompleted || turn.Deadline == DateTimeOffset.MaxValue) return await task.ConfigureAwait(false);
        var left = Left(turn);
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
        Observed.Forget(task);
        turn.Log.Warn("turn.optional-skipped", ("requestId", turn.RequestId), ("what", what));
        return fallback;
    }
}
