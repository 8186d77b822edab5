using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Patching;

/// <summary>
/// The confirmed instances as they are now: eligibility and how many are gone; or, when their isolation records could not
/// be read (<see cref="RecordsUnread"/>), nothing to go on.
/// </summary>
internal sealed record ConfirmedTargets(PatchAssessment Assessment, int Gone, Spoken? GoneSpeech,
    AwsContract.AwsCallException? RecordsUnread = null);
