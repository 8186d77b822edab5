using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// The pending action a patch read-back stores: by ids (with the whole tag when the ids are all of it), or, for a tag group
/// too large to carry, by tag, count and digest. Its arguments are read and written only here.
/// </summary>
internal static class PatchPending
{
    /// <summary>The pending-action kind for a patch.</summary>
    public const string Kind = "patch";

    private const string Intent = "PatchIntent";
    private const string TagKeyArg = "tagKey", TagValueArg = "tagValue", DescriptionArg = "desc", ModeArg = "mode", TagMode = "tag";

    /// <summary>True for a large tag group carried by tag, count and digest instead of ids.</summary>
    public static bool IsTagWide(PendingAction pending) =>
        pending.InstanceIds.Count == 0 && pending.Digest is not null && pending.Count is not null
        && pending.Args.GetValueOrDefault(ModeArg) == TagMode && pending.Args.ContainsKey(TagKeyArg)
            && pending.Args.ContainsKey(TagValueArg);

    /// <summary>The tag the read-back was about, when it was the whole of a tag.</summary>
    public static TagSelector? Tag(PendingAction pending) =>
        pending.Args.TryGetValue(TagKeyArg, out var key) && pending.Args.TryGetValue(TagValueArg, out var value)
            ? new TagSelector(key, value) : null;

    /// <summary>How the targets were described when they were read back.</summary>
    public static string Description(PendingAction pending) => pending.Args.GetValueOrDefault(DescriptionArg) ?? "";

    /// <summary>
    /// The run's reference: from the request that read the patch back, so that the same yes handled twice (a retry after
    /// a lost answer, on another container) names the same commands and finds the same state-table references.
    /// </summary>
    public static string Reference(TurnContext turn, PendingAction pending) =>
        PatchComment.ReferenceFor(pending.RequestId ?? turn.RequestId);

    /// <summary>The pending action for instances read back by id.</summary>
    public static PendingAction ForInstances(IReadOnlyList<PatchTarget> eligible, TagSelector? wholeTag, string description,
        bool overCap)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal) { [DescriptionArg] = description };
        if (wholeTag is not null)
        {
            args[TagKeyArg] = wholeTag.Key;
            args[TagValueArg] = wholeTag.Value;
        }
        return new PendingAction
        {
            Kind = Kind,
            Intent = Intent,
            InstanceIds = eligible.Select(t => t.Id).ToList(),
            Args = args,
            CountToSayBack = overCap ? eligible.Count : null,
        };
    }

    /// <summary>The pending action for a whole large tag group.</summary>
    public static PendingAction ForTag(TagSelector tag, int count, string digest, string description, bool overCap) => new()
    {
        Kind = Kind,
        Intent = Intent,
        InstanceIds = [],
        Count = count,
        Digest = digest,
        Args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DescriptionArg] = description,
            [TagKeyArg] = tag.Key,
            [TagValueArg] = tag.Value,
            [ModeArg] = TagMode,
        },
        CountToSayBack = overCap ? count : null,
    };

    /// <summary>Adds a tag-wide pending action's tag, size and digest to the audit record.</summary>
    public static void AuditTagSet(TurnContext turn, PendingAction? pending)
    {
        if (pending is not null && IsTagWide(pending))
            PatchAudit.TagSet(turn, pending.Args[TagKeyArg], pending.Args[TagValueArg], pending.Size, pending.Digest);
    }
}
