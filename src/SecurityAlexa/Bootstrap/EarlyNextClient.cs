namespace SecurityAlexa.Bootstrap;

/// <summary>
/// EXPERIMENT (issue 18): asks the Runtime API for the first invocation while the skill is composed, so that
/// opening the connection and the first HTTP exchange overlap with start-up.
/// </summary>
internal sealed class EarlyNextClient : IRuntimeApiClient
{
    private readonly IRuntimeApiClient _inner;
    private Task<RuntimeInvocation>? _first;

    public EarlyNextClient(IRuntimeApiClient inner)
    {
        _inner = inner;
        _first = Task.Run(() => inner.NextAsync(CancellationToken.None));
    }

    public Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _first, null) ?? _inner.NextAsync(cancellationToken);

    public Task RespondAsync(string requestId, byte[] body, CancellationToken cancellationToken) => _inner.RespondAsync(requestId, body, cancellationToken);

    public Task ReportErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) => _inner.ReportErrorAsync(requestId, error, cancellationToken);

    // Once "next" was asked, Lambda counts init as done: the failure goes to the invocation it hands out.
    public async Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _first, null) is not { } first)
        {
            await _inner.ReportInitErrorAsync(error, cancellationToken).ConfigureAwait(false);
            return;
        }
        var invocation = await first.ConfigureAwait(false);
        await _inner.ReportErrorAsync(invocation.RequestId, error, cancellationToken).ConfigureAwait(false);
    }
}
