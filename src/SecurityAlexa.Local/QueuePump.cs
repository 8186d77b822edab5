using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Local;

/// <summary>
/// Plays Lambda's event source mapping for <c>serve --sandbox</c>: every <c>every</c> it delivers the in-memory queue's
/// visible messages to the function, batch by batch, each batch an invocation with the function's timeout. What a
/// batch reports comes back after the visibility timeout of the sandbox's clock, and after 3 receives goes to the
/// dead-letter queue, as in SQS.
/// </summary>
internal static class QueuePump
{
    /// <summary>How often the pump looks at the queue, as Lambda's pollers do.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Delivers until cancelled; a failed delivery is reported on <paramref name="stderr"/> and the pump goes on.</summary>
    public static async Task RunAsync(InMemoryWorkQueue queue, InvocationDispatcher function, TimeSpan every, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
                var delivered = await queue.DeliverToAsync(function, cancellationToken).ConfigureAwait(false);
                if (delivered > 0)
                    await stderr.WriteLineAsync($"(work queue: {delivered} message(s) delivered to the function; "
                        + $"{queue.Count} still queued, {queue.DeadLetters.Count} in the dead-letter queue)").ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The dispatcher never throws for a message; this is the pump's own failure, and the next round tries again.
                await stderr.WriteLineAsync($"(work queue: delivery failed: {e.GetType().Name}: {e.Message})").ConfigureAwait(false);
            }
        }
    }
}
