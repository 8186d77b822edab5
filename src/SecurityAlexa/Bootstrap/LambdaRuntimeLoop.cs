using SecurityAlexa.Skill;

namespace SecurityAlexa.Bootstrap;

/// <summary>Handles one invocation's payload: the dispatcher in production, a stand-in in tests.</summary>
internal delegate Task<byte[]> InvocationHandler(ReadOnlyMemory<byte> payload, InvocationInfo info, CancellationToken cancellationToken);

/// <summary>The custom-runtime loop: next, handle, respond, and report errors, as the Runtime API defines it.</summary>
internal static class LambdaRuntimeLoop
{
    /// <summary>The environment variable the AWS SDK reads the X-Ray trace header from.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Builds the host (reporting an init error if that fails), then serves invocations until cancelled.</summary>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(IRuntimeApiClient client, Func<SkillHost> createHost, CancellationToken cancellationToken,
        int? maxInvocations = null) =>
        RunAsync(client, () =>
        {
            var host = createHost();
            return (host.Dispatcher.InvokeAsync, host.Log);
        }, cancellationToken, maxInvocations);

    /// <summary>The loop over any invocation handler; <paramref name="init"/> runs once and may fail.</summary>
    /// <returns>The process exit code: 0 when stopped, 1 when init failed or the Runtime API went away.</returns>
    public static async Task<int> RunAsync(IRuntimeApiClient client, Func<(InvocationHandler Handle, SkillLog Log)> init,
        CancellationToken cancellationToken, int? maxInvocations = null)
    {
        InvocationHandler handle;
        SkillLog log;
        try
        {
            (handle, log) = init();
        }
        catch (Exception e)
        {
            // Lambda records the init error and retries the container; nothing else can be done here.
            await Console.Error.WriteLineAsync($"bootstrap: init failed: {e.GetType().FullName}: {e.Message}").ConfigureAwait(false);
            try { await client.ReportInitErrorAsync(e, cancellationToken).ConfigureAwait(false); }
            catch (Exception report) { await Console.Error.WriteLineAsync($"bootstrap: could not report the init error: {report.Message}")
                .ConfigureAwait(false); }
            return 1;
        }

        var served = 0;
        while (!cancellationToken.IsCancellationRequested && (maxInvocations is null || served < maxInvocations))
        {
            RuntimeInvocation invocation;
            try
            {
                invocation = await client.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Without the Runtime API there is nothing to serve; exiting lets Lambda replace the container.
                TryLog(() => log.Error("runtime.next-failed", ("exception", e.GetType().FullName), ("message", e.Message)));
                return 1;
            }

            served++;
            Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
            try
            {
                var info = new InvocationInfo(invocation.RequestId, invocation.Deadline);
                var body = await handle(invocation.Payload, info, cancellationToken).ConfigureAwait(false);
                await client.RespondAsync(invocation.RequestId, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                TryLog(() => log.Error("runtime.invocation-failed", ("lambdaRequestId", invocation.RequestId),
                    ("exception", e.GetType().FullName), ("message", e.Message)));
                try
                {
                    await client.ReportErrorAsync(invocation.RequestId, e, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception report)
                {
                    TryLog(() => log.Error("runtime.error-report-failed", ("lambdaRequestId", invocation.RequestId),
                        ("exception", report.GetType().FullName), ("message", report.Message)));
                }
            }
        }
        return 0;
    }

    // The failure being reported may be the log itself; the loop must survive it.
    private static void TryLog(Action write)
    {
        try { write(); }
        catch (Exception) { }
    }
}
