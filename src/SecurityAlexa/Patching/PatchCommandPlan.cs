namespace SecurityAlexa.Patching;

/// <summary>
/// How a confirmed patch of checked instances is split into SendCommand calls: always by instance id, in batches of at most
/// 50. Never by tag, even when the ids are the whole tag: a tag-targeted command also reaches managed nodes EC2 does not show
/// (on-premises ones, mi-...), which were never read back nor checked for Protected or isolation.
/// </summary>
internal static class PatchCommandPlan
{
    /// <summary>One command per batch of at most <see cref="PatchSettings.MaxIdsPerCommand"/> ids, in the order read back.</summary>
    internal static IReadOnlyList<PatchCommandTarget> PlanCommands(IReadOnlyList<PatchTarget> eligible) =>
        eligible.Select(t => t.Id).Chunk(PatchSettings.MaxIdsPerCommand)
            .Select(batch => new PatchCommandTarget { InstanceIds = batch })
            .ToList();
}
