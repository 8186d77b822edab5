using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// How a confirmed patch is split into SendCommand calls: one tag-targeted command when the tag still covers exactly the instances read
/// back, else batches of ids.
/// </summary>
internal static class PatchCommandPlan
{
    // instances read back; otherwise the ids go in batches of at most 50.
    internal static IReadOnlyList<PatchCommandTarget> PlanCommands((TagSelector Tag, IReadOnlyList<InstanceInfo> Instances)? tagNow,
        IReadOnlyList<PatchTarget> eligible, bool allStillThere)
    {
        if (allStillThere && tagNow is { } now && now.Instances.Select(i => i.Id).ToHashSet(StringComparer.Ordinal)
            .SetEquals(eligible.Select(t => t.Id)))
            return [new PatchCommandTarget { TagKey = now.Tag.Key, TagValues = now.Tag.Values }];
        return eligible.Select(t => t.Id).Chunk(PatchSettings.MaxIdsPerCommand)
            .Select(batch => new PatchCommandTarget { InstanceIds = batch })
            .ToList();
    }
}
