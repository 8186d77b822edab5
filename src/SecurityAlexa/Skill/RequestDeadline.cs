namespace SecurityAlexa.Skill;

/// <summary>
/// When the answer must be ready: the earlier of the Lambda deadline and the response budget after
/// arrival, minus a margin for serializing and returning.
/// </summary>
internal sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly ITimer _timer;

    private RequestDeadline(CancellationTokenSource cts, ITimer timer, DateTimeOffset at)
    {
        _cts = cts;
        _timer = timer;
        At = at;
    }

    /// <summary>The moment the token fires.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Fires at the deadline; passed into every outgoing call.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Builds the deadline for a request that arrived now.</summary>
    public static RequestDeadline Start(TimeProvider time, SkillConfig config, DateTimeOffset? lambdaDeadline,
        CancellationToken outer = default)
    {
        var now = time.GetUtcNow();
        var at = TurnBudget.Deadline(now, config, lambdaDeadline);
        var delay = at - now;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var cts = outer.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(outer) : new CancellationTokenSource();
        // A TimeProvider-driven timer lets tests expire the deadline with a fake clock.
        var timer = time.CreateTimer(static s => { try { ((CancellationTokenSource)s!).Cancel(); } catch (ObjectDisposedException) { } },
            cts, delay, Timeout.InfiniteTimeSpan);
        return new RequestDeadline(cts, timer, at);
    }

    /// <summary>Time left before the token fires.</summary>
    public TimeSpan Remaining(TimeProvider time)
    {
        var left = At - time.GetUtcNow();
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>
    /// Fires the token now. The watchdog calls it when it gives up on a turn: its timer and the deadline's are separate,
    /// and on a starved thread pool the watchdog's continuation can run before the deadline's callback has cancelled.
    /// </summary>
    public void Expire()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: the turn is over.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        _cts.Dispose();
    }
}
