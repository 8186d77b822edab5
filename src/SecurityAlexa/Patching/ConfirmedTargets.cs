using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>The confirmed instances as they are now: eligibility, how many are gone, and what the tag covers now.</summary>
internal sealed record ConfirmedTargets(PatchAssessment Assessment, int Gone,
    (TagSelector Tag, IReadOnlyList<InstanceInfo> Instances)? TagNow, Spoken? GoneSpeech)
{
    /// <summary>True when every instance read back is still there and still eligible.</summary>
    public bool AllStillThere => Gone == 0 && Assessment.Skipped.Count == 0;
}
