using SecurityAlexa.Alexa;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Skill;

/// <summary>A check on the whole request envelope that runs first, before any state is read (the skill id).</summary>
internal interface IEnvelopeGuard
{
    /// <summary>Returns a reply to refuse the request, or null to go on.</summary>
    Reply? Check(SkillRequest envelope, Request request, Lang lang, string? userHash);
}
