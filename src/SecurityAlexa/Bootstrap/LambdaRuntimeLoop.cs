using SecurityAlexa.Skill;

namespace SecurityAlexa.Bootstrap;

/// <summary>The custom-runtime loop: next, handle, respond, and report errors, as the Runtime API defines it.</summary>
public static class LambdaRuntimeLoop
{
    /// <summary>Builds the host (reporting an init error if that fails), then serves invocations until cancelled.</summary>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(IRuntimeApiClient client, Func<SkillHost> createHost, CancellationToken cancellationToken, int? maxInvocations = null)
    {
        SkillHost host;
        try
        {
            host = createHost();
        }
        catch (Exception e)
        {
            await client.ReportInitErrorAsync(e, cancellationToken).ConfigureAwait(false);
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

            served++;
            try
            {
                var info = new InvocationInfo(invocation.RequestId, invocation.Deadline);
                var body = await host.Dispatcher.InvokeAsync(invocation.Payload, info, cancellationToken).ConfigureAwait(false);
                await client.RespondAsync(invocation.RequestId, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                host.Log.Error("runtime.invocation-failed", ("lambdaRequestId", invocation.RequestId), ("exception", e.GetType().FullName), ("message", e.Message));
                try { await client.ReportErrorAsync(invocation.RequestId, e, cancellationToken).ConfigureAwait(false); }
                catch (HttpRequestException) { }
            }
        }
        return 0;
    }
}
