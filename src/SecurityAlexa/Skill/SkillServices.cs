using SecurityAlexa.Targets;

namespace SecurityAlexa.Skill;

/// <summary>
/// The ports the capabilities use to reach the outside world: real AWS adapters in Lambda,
/// the simulated account with --sandbox, fakes in tests. Each capability adds its own port.
/// </summary>
public sealed class SkillServices
{
    /// <summary>EC2 instance and tag reads, for target resolution.</summary>
    public IInstanceDirectory? Instances { get; init; }

    /// <summary>Spoken tag, name or id to instances; shared by scan, patch and isolate.</summary>
    public ITargetResolver? Targets { get; init; }
}
