namespace SecurityAlexa.Sandbox;

/// <summary>
/// The sandbox's time: real time moving forward, plus any time the user skipped ahead
/// ("wait 10 minutes" in the chat), so that a scan or a patch run can finish on demand.
/// </summary>
internal sealed class SandboxClock(TimeProvider real) : TimeProvider
{
    private TimeSpan _skipped;

    /// <summary>Moves sandbox time forward.</summary>
    public void Advance(TimeSpan by)
    {
        if (by > TimeSpan.Zero) _skipped += by;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + _skipped;

    /// <inheritdoc />
    public override long GetTimestamp() => real.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => real.TimestampFrequency;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        real.CreateTimer(callback, state, dueTime, period);
}
