using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Security;

/// <summary>
/// Refuses a request sent for another skill, or any request when no skill id is configured and one is required.
/// It runs before the session is read, so a refused request leaves no state and reaches no handler.
/// </summary>
internal sealed class SkillIdGuard(SkillConfig config, SkillLog log) : IEnvelopeGuard
{
    /// <inheritdoc />
    public Reply? Check(SkillRequest envelope, Request request, Lang lang, string? userHash)
    {
        if (Accepted(envelope.ApplicationId, out var why)) return null;
        log.Security("skill-id.rejected", ("requestId", request.RequestId), ("reason", why), ("userHash", userHash));
        // Requests that must not be spoken to stay silent even when refused.
        return SecurityModule.MustStaySilent(request)
            ? Reply.None().Labelled("rejected-" + why)
            : Reply.Tell(lang.Say(why == "not-configured" ? "notConfigured" : "notForThisSkill")).Labelled("rejected-" + why);
    }

    private bool Accepted(string? applicationId, out string why)
    {
        if (config.SkillId is null)
        {
            why = "not-configured";
            return !config.RequireSkillId;
        }
        why = "mismatch";
        return applicationId is not null && string.Equals(applicationId, config.SkillId, StringComparison.Ordinal);
    }
}
