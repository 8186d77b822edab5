namespace SecurityAlexa.Skill;

/// <summary>Tasks a turn starts and may stop waiting for: how they end is always observed, never left to the finalizer.</summary>
internal static class Observed
{
    /// <summary>Lets the task run on without waiting for it; a failure it ends with is observed and dropped.</summary>
    public static void Forget(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    /// <summary>
    /// Waits for every task, so none is left failing unobserved when another fails first; each caller's own await rethrows.
    /// </summary>
    public static async Task WhenAllAsync(params Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // The failure reaches the caller through its own await of the task that failed.
        }
    }
}
