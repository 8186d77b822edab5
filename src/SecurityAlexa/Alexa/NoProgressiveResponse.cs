namespace SecurityAlexa.Alexa;

/// <summary>A progressive response that goes nowhere: for requests without an apiEndpoint.</summary>
internal sealed class NoProgressiveResponse : IProgressiveResponse
{
    /// <summary>The one instance.</summary>
    public static readonly NoProgressiveResponse Instance = new();

    /// <inheritdoc />
    public Task<bool> SayAsync(string text, CancellationToken cancellationToken) => Task.FromResult(false);
}
