using SecurityAlexa.Alexa;

namespace SecurityAlexa.Local;

/// <summary>Prints progressive responses instead of posting them to Alexa.</summary>
internal sealed class WriterProgressiveResponse(TextWriter writer) : IProgressiveResponse
{
    /// <inheritdoc />
    public async Task<bool> SayAsync(string text, CancellationToken cancellationToken)
    {
        await writer.WriteLineAsync("(progressive response) " + text).ConfigureAwait(false);
        return true;
    }
}
