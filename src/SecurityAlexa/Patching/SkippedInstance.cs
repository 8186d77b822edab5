using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>An instance left out, and why.</summary>
internal sealed record SkippedInstance(InstanceInfo Instance, SkipReason Reason);
