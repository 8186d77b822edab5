using SecurityAlexa.Isolation;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// Which instances this skill isolated, by the state table's record. Anyone allowed to tag can add an IsolatedAt tag, so the
/// tag alone neither exempts an instance from patching nor blocks its tag group: such an instance is patched like any other,
/// and the read-back says it carries isolation tags the skill has no record of. Anyone can also take the tag off, so an
/// instance checked one by one is looked up whether it carries the tag or not.
/// </summary>
internal sealed record IsolationMarks(IReadOnlySet<string> Recorded)
{
    /// <summary>No instance isolated by this skill.</summary>
    public static IsolationMarks None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>True when the state table holds this skill's isolation record for the instance.</summary>
    public bool IsIsolated(InstanceInfo instance) => Recorded.Contains(instance.Id);

    /// <summary>True when the instance carries the isolation tag but the table has no record of it: not this skill's isolation.</summary>
    public bool IsForeign(InstanceInfo instance) => IsMarked(instance) && !Recorded.Contains(instance.Id);

    /// <summary>True when the instance carries this skill's isolation tag, whoever put it there.</summary>
    public static bool IsMarked(InstanceInfo instance) => instance.Tag(SkillTags.IsolatedAt) is not null;
}

/// <summary>Reads <see cref="IsolationMarks"/> from the isolation records; without a table there is no record, so no exemption.</summary>
internal sealed class PatchIsolationCheck(IsolationLedger? ledger, TimeProvider time)
{
    /// <summary>
    /// At most this many records of marked instances are read per turn in a large tag group. Beyond it the marked instances
    /// not read count as isolated: a turn stays bounded, and the doubt falls on the side of not patching.
    /// </summary>
    public const int MaxReads = 100;

    /// <summary>
    /// At most this many records are read for instances checked one by one (the most that goes by id); beyond it every
    /// instance not read counts as isolated, on the side of not patching.
    /// </summary>
    public const int MaxEach = PatchSettings.MaxById;

    /// <summary>A check with no table: every marker is foreign.</summary>
    public static PatchIsolationCheck NoRecords { get; } = new(null, TimeProvider.System);

    /// <summary>
    /// The records of every one of <paramref name="instances"/>, tagged or not, for instances checked one by one (at most
    /// <see cref="MaxEach"/>): whoever takes the IsolatedAt tag off an instance this skill isolated does not make it
    /// patchable. A table failure is thrown, and nothing is patched.
    /// </summary>
    public Task<IsolationMarks> ReadAsync(IEnumerable<InstanceInfo> instances, CancellationToken cancellationToken) =>
        ReadIdsAsync(instances.Select(i => i.Id).ToList(), cancellationToken);

    /// <summary>As <see cref="ReadAsync(IEnumerable{InstanceInfo}, CancellationToken)"/>, by id, so it can start alongside the
    /// describe that finds the instances.</summary>
    public Task<IsolationMarks> ReadIdsAsync(IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken) =>
        ReadAsync(instanceIds.Distinct(StringComparer.Ordinal).ToList(), MaxEach, cancellationToken);

    /// <summary>
    /// The records of the marked instances among <paramref name="instances"/> only, for a large tag group, where reading
    /// one per instance would not be bounded (the tag mirrors the record). A table failure is thrown, and nothing is patched.
    /// </summary>
    public Task<IsolationMarks> ReadMarkedAsync(IEnumerable<InstanceInfo> instances, CancellationToken cancellationToken) =>
        ReadAsync(instances.Where(IsolationMarks.IsMarked).Select(i => i.Id).Distinct(StringComparer.Ordinal).ToList(), MaxReads,
            cancellationToken);

    private async Task<IsolationMarks> ReadAsync(List<string> ids, int max, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 || ledger is null) return IsolationMarks.None;
        // In one read of up to 100 records a call (BatchGetItem).
        var read = await ledger.ReadManyAsync(ids.Take(max).ToList(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var recorded = read.Values.Where(e => e.IsHeld).Select(e => e.InstanceId).Concat(ids.Skip(max)).ToHashSet(StringComparer.Ordinal);
        return new IsolationMarks(recorded);
    }
}
