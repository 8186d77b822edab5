using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>What happened to one instance on release.</summary>
internal sealed record InstanceRelease(
    string InstanceId,
    IsolationSubject? Subject,
    ReleaseOutcome Outcome,
    IReadOnlyList<InterfaceReleaseResult> Interfaces,
    bool? TerminationProtectionNow = null,
    IReadOnlyList<AwsCallException>? Problems = null,
    IReadOnlyList<string>? TagsDisagree = null,
    bool FromTags = false,
    Containment.ContainmentReport? Containment = null)
{
    /// <summary>Interfaces whose tags named other original groups than the table's record (the record's were restored).</summary>
    public IReadOnlyList<string> TagsDisagreeing => TagsDisagree ?? [];

    /// <summary>The name to speak.</summary>
    public string DisplayName => Subject?.DisplayName ?? InstanceId;

    /// <summary>Failures met on the way.</summary>
    public IReadOnlyList<AwsCallException> Errors => Problems ?? [];
}
