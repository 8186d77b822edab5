using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>An instance that can be patched, with what Systems Manager knows about it.</summary>
internal sealed record PatchTarget(InstanceInfo Instance, ManagedNode Node)
{
    /// <summary>The instance id.</summary>
    public string Id => Instance.Id;

    /// <summary>The name to speak.</summary>
    public string Name => Instance.DisplayName;
}
