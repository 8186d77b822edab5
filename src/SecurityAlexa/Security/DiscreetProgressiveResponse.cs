using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Security;

/// <summary>Progressive responses go through the same discretion as the final answer.</summary>
internal sealed class DiscreetProgressiveResponse(IProgressiveResponse inner, Lang lang, SecuritySettings settings) : IProgressiveResponse
{
    /// <inheritdoc />
    public Task<bool> SayAsync(string text, CancellationToken cancellationToken) =>
        inner.SayAsync(Discretion.RedactText(text, lang, settings), cancellationToken);
}
