using SecurityAlexa.Skill;

namespace SecurityAlexa.Targets;

/// <summary>Spoken tag, name or id to instances, shared by every capability; it adds the account's tags to the launch.</summary>
internal sealed class TargetsModule(ITargetResolver? targets) : SkillModule
{
    /// <summary>The resolver over an instance directory, or null without one.</summary>
    public static ITargetResolver? ResolverOver(IInstanceDirectory? instances, TimeProvider time) =>
        instances is null ? null : new TargetResolver(instances, time);

    /// <inheritdoc />
    public override IReadOnlyList<IRequestHandler> Handlers { get; } =
        targets is IKnownTags knownTags ? [new LaunchWithTagEntitiesHandler(knownTags)] : [];

    /// <inheritdoc />
    public override string SpeechFolder => "Targets";
}
