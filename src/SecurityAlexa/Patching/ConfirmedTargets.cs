using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Patching;

/// <summary>The confirmed instances as they are now: eligibility and how many are gone.</summary>
internal sealed record ConfirmedTargets(PatchAssessment Assessment, int Gone, Spoken? GoneSpeech);
