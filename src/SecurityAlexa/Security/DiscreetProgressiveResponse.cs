using System.Text;
using System.Text.RegularExpressions;
using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Security;

/// <summary>Progressive responses go through the same discretion as the final answer.</summary>
internal sealed class DiscreetProgressiveResponse(IProgressiveResponse inner, Lang lang, SecuritySettings settings) : IProgressiveResponse
{
    /// <inheritdoc />
    public Task<bool> SayAsync(string text, CancellationToken cancellationToken) =>
        inner.SayAsync(Discretion.RedactText(text, lang, settings), cancellationToken);
}
