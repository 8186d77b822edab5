using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>Either the instances a turn is about, or the reply that asks the user to say which.</summary>
internal sealed record TargetsOrReply(IReadOnlyList<InstanceInfo>? Instances, Reply? Reply, TargetSelection? Selection = null);
