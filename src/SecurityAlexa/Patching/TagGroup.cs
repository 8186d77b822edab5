using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// A large tag group as one tag-targeted command would see it: every instance carrying the tag (any live state), read
/// from EC2's pages, with a bounded sample of agents and the registered patch groups. Nothing here grows with the group
/// except the EC2 resolution pages.
/// </summary>
internal sealed record TagGroup(TagSelector Tag, IReadOnlyList<InstanceInfo> Addressed, IReadOnlyList<ManagedNode> SampledAgents,
    IReadOnlyList<PatchGroupBaseline> Registered)
{
    /// <summary>Which of the addressed instances this skill isolated, by its records (none until read).</summary>
    public IsolationMarks Marks { get; init; } = IsolationMarks.None;

    /// <summary>
    /// True when the tag covers more instances than one turn may read: nothing is addressed, and nothing may be sent by tag.
    /// </summary>
    public bool TooManyToRead { get; init; }

    /// <summary>
    /// The managed nodes outside EC2 and their tags (null until read): a tag-targeted command would reach those carrying the
    /// tag, which EC2 never shows.
    /// </summary>
    public OffEc2Nodes? OffEc2 { get; init; }

    /// <summary>
    /// Instances this skill isolated (by its records); a tag-targeted command would reach them, so their presence refuses the
    /// tag-wide patch.
    /// </summary>
    public IReadOnlyList<InstanceInfo> Isolated => Addressed.Where(Marks.IsIsolated).ToList();

    /// <summary>
    /// Instances with the isolation tag but no record: the command reaches them like any other, and the read-back says so.
    /// </summary>
    public IReadOnlyList<InstanceInfo> ForeignMarked => Addressed.Where(Marks.IsForeign).ToList();

    /// <summary>Instances tagged SecurityAlexa:Protected; like isolated ones, their presence refuses the tag-wide patch.</summary>
    public IReadOnlyList<InstanceInfo> Protected => Addressed.Where(PatchEligibility.IsProtected).ToList();

    /// <summary>Running instances: the ones the command is meant for.</summary>
    public IReadOnlyList<InstanceInfo> Running => Addressed.Where(i => i.State == "running" && !Marks.IsIsolated(i)
        && !PatchEligibility.IsProtected(i)).ToList();

    /// <summary>How many carry the tag but are not running (SSM cannot reach them).</summary>
    public int NotRunning => Addressed.Count(i => i.State != "running" && !Marks.IsIsolated(i));

    /// <summary>
    /// The digest of what a tag-targeted command would address: the ids, and the state of any not running, so an instance
    /// joining or leaving the tag, or starting, changes it.
    /// </summary>
    public string Digest => DigestOf(Addressed);

    /// <summary>The digest of a resolved set, as <see cref="Digest"/>.</summary>
    public static string DigestOf(IEnumerable<InstanceInfo> addressed) =>
        InstanceSet.Digest(addressed.Select(i => i.State == "running" ? i.Id : i.Id + "/" + i.State));

    /// <summary>A summary small enough for the session: counts, the agents sampled and the baselines by patch group.</summary>
    public TagGroupSummary Summarise()
    {
        var running = Running;
        var baselines = new List<TagGroupBaseline>();
        foreach (var group in running.GroupBy(GroupOf).OrderByDescending(g => g.Count()))
        {
            var registered = group.Key is null ? null
                : Registered.Where(r => string.Equals(r.PatchGroup, group.Key, StringComparison.Ordinal)).ToList();
            var baseline = registered is { Count: > 0 } ? registered[0].BaselineName ?? registered[0].BaselineId : null;
            baselines.Add(new TagGroupBaseline { PatchGroup = group.Key, Baseline = baseline, Count = group.Count() });
        }
        return new TagGroupSummary
        {
            Digest = Digest,
            NotRunning = NotRunning,
            Sampled = SampledAgents.Count,
            SampledOnline = SampledAgents.Count(a => a.IsOnline),
            Platforms = SampledAgents.Select(a => a.PlatformName).OfType<string>().Distinct(StringComparer.Ordinal).Take(3).ToList(),
            Baselines = baselines.Take(4).ToList(),
            ForeignMarked = ForeignMarked.Count,
            ForeignNames = ForeignMarked.Select(i => i.DisplayName).Take(PatchSpeech.SpokenNames).ToList(),
        };
    }

    private static string? GroupOf(InstanceInfo instance)
    {
        foreach (var key in PatchBaselines.PatchGroupTags)
        {
            if (instance.Tag(key) is { Length: > 0 } value) return value;
        }
        return null;
    }

    /// <summary>
    /// Reads a tag group: its instances in any live state (EC2 pages, unless <paramref name="addressed"/> has them already), one
    /// page of its agents, the registered patch groups and the managed nodes outside EC2, at once; then the isolation records
    /// of its marked instances. Null when the tag no longer selects anything; <see cref="TooManyToRead"/> when it selects more
    /// than a turn may read.
    /// </summary>
    public static async Task<TagGroup?> ReadAsync(ITargetResolver targets, IPatchManager patches, PatchIsolationCheck isolation,
        TagSelector tag, bool withLookups, CancellationToken cancellationToken,
        IReadOnlyList<InstanceInfo>? addressed = null)
    {
        // Already resolved in every live state (the candidates' own read): only the look-ups remain.
        var resolving = addressed is null ? ResolveAsync(targets, tag, cancellationToken)
            : Task.FromResult<TagGroup?>(new TagGroup(tag, addressed, [], []));
        var sampling = withLookups
            ? patches.SampleManagedNodesByTagAsync(tag.Key, tag.Values, PatchSettings.AgentSample, cancellationToken)
            : Task.FromResult<IReadOnlyList<ManagedNode>>([]);
        var groups = withLookups ? patches.ListPatchGroupBaselinesAsync(cancellationToken)
            : Task.FromResult<IReadOnlyList<PatchGroupBaseline>>([]);
        var offEc2 = withLookups ? ReadOffEc2Async() : Task.FromResult<OffEc2Nodes?>(null);
        await Observed.WhenAllAsync(resolving, sampling, groups, offEc2).ConfigureAwait(false);
        var resolved = await resolving.ConfigureAwait(false);
        if (resolved is null || resolved.TooManyToRead) return resolved;
        return await (resolved with
        {
            SampledAgents = await sampling.ConfigureAwait(false),
            Registered = await groups.ConfigureAwait(false),
            OffEc2 = await offEc2.ConfigureAwait(false),
        }).WithMarksAsync(isolation, cancellationToken).ConfigureAwait(false);

        async Task<OffEc2Nodes?> ReadOffEc2Async() => await OffEc2Nodes.ReadAsync(patches, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This group with the isolation records of its marked instances read.</summary>
    public async Task<TagGroup> WithMarksAsync(PatchIsolationCheck isolation, CancellationToken cancellationToken) =>
        this with { Marks = await isolation.ReadMarkedAsync(Addressed, cancellationToken).ConfigureAwait(false) };

    /// <summary>
    /// This group with its bounded look-ups (one page of agents, the registered patch groups, the managed nodes outside EC2),
    /// read at once.
    /// </summary>
    public async Task<TagGroup> WithLookupsAsync(IPatchManager patches, CancellationToken cancellationToken)
    {
        var sampling = patches.SampleManagedNodesByTagAsync(Tag.Key, Tag.Values, PatchSettings.AgentSample, cancellationToken);
        var groups = patches.ListPatchGroupBaselinesAsync(cancellationToken);
        var offEc2 = OffEc2Nodes.ReadAsync(patches, cancellationToken);
        await Observed.WhenAllAsync(sampling, groups, offEc2).ConfigureAwait(false);
        return this with
        {
            SampledAgents = await sampling.ConfigureAwait(false),
            Registered = await groups.ConfigureAwait(false),
            OffEc2 = await offEc2.ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Re-resolves the exact tag, any live state: what a tag-targeted command would address now, without look-ups. Null when
    /// the tag selects nothing; a group with <see cref="TooManyToRead"/> (and nothing addressed) when it selects more than a
    /// turn may read.
    /// </summary>
    public static async Task<TagGroup?> ResolveAsync(ITargetResolver targets, TagSelector tag, CancellationToken cancellationToken)
    {
        var now = await targets.ResolveAsync(new TargetQuery { TagKey = tag.Key, TagValue = tag.Value, IncludeStopped = true },
            cancellationToken).ConfigureAwait(false);
        if (now is TargetResult.NotFound { Kind: NotFoundKind.TooManyToRead })
            return new TagGroup(tag, [], [], []) { TooManyToRead = true };
        if (now is not TargetResult.Found { Selection: var selection } || selection.Tag is not { } found
            || found.Key != tag.Key || !found.Values.Contains(tag.Value, StringComparer.Ordinal))
            return null;
        return new TagGroup(found, selection.Instances, [], []);
    }
}
