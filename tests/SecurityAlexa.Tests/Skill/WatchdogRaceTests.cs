using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Skill;

/// <summary>
/// The watchdog and the request deadline are two timers. On a starved thread pool the watchdog's continuation can run
/// before the deadline's callback has cancelled the turn's token; that turn must still get the timeout answer, not
/// "something went wrong" (the failure GuardDutyConversationTests showed under the parallel suite).
/// </summary>
public sealed class WatchdogRaceTests
{
    // A fake clock whose request-deadline timer (the one that cancels a token source) never gets to run, as when its
    // callback is queued behind busy threads; every other timer, Task.Delay's included, fires on time.
    private sealed class StarvedDeadlineClock(DateTimeOffset start) : TimeProvider
    {
        public FakeTimeProvider Inner { get; } = new(start);

        public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

        public override long GetTimestamp() => Inner.GetTimestamp();

        public override long TimestampFrequency => Inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            state is CancellationTokenSource
                ? Inner.CreateTimer(static _ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
                : Inner.CreateTimer(callback, state, dueTime, period);
    }

    [Fact]
    public async Task AHandlerThatIgnoresItsToken_WhenTheWatchdogFiresBeforeTheDeadlineTimer_GetsTheTimeoutAnswer()
    {
        var clock = new StarvedDeadlineClock(DateTimeOffset.UtcNow);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hang = DelegateHandler.ForIntent("HangIntent", async turn =>
        {
            turn.Cancellation.Register(() => tokenFired.TrySetResult());
            entered.TrySetResult();
            // Ignores its token, as a stuck call would.
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return Reply.Tell(Spoken.Plain("never"));
        });
        var driver = new SkillDriver(time: clock, extraHandlers: [hang]);

        var pending = driver.SayAsync(AlexaRequests.Intent("HangIntent"));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Past the deadline and the watchdog's grace; the deadline's own timer stays starved.
        clock.Inner.Advance(TimeSpan.FromSeconds(10));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("That's taking longer than I'm allowed to wait. Please ask again in a moment.", reply.Speech);
        Assert.Empty(driver.LogsOf("handler.failed"));
        // The watchdog fired the turn's token itself, so calls still in flight are cancelled too.
        await tokenFired.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
