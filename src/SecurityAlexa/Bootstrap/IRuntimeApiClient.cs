namespace SecurityAlexa.Bootstrap;

/// <summary>The Lambda Runtime API, as the bootstrap loop uses it.</summary>
internal interface IRuntimeApiClient
{
    /// <summary>Waits for the next invocation (GET /runtime/invocation/next).</summary>
    Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken);

    /// <summary>Returns the response (POST /runtime/invocation/{id}/response).</summary>
    Task RespondAsync(string requestId, byte[] body, CancellationToken cancellationToken);

    /// <summary>Reports a failed invocation (POST /runtime/invocation/{id}/error).</summary>
    Task ReportErrorAsync(string requestId, Exception error, CancellationToken cancellationToken);

    /// <summary>Reports that the function could not start (POST /runtime/init/error).</summary>
    Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken);
}
