using SecurityAlexa.Skill;

namespace SecurityAlexa.Patching;

/// <summary>
/// Adds patching's facts (decision, targets, skipped instances, command ids) to the request's one audit
/// record, which the pipeline writes for every mutating request (see docs/security.md).
/// </summary>
internal static class PatchAudit
{
    /// <summary>Records one patching decision in the request's audit trail.</summary>
    public static void Write(
        TurnContext turn,
        string action,
        string outcome,
        IEnumerable<string>? targets = null,
        IEnumerable<string>? skipped = null,
        IEnumerable<string>? commandIds = null,
        string? reference = null,
        string? error = null)
    {
        var audit = turn.Audit.ForAction(action);
        if (targets is not null) audit.AddTargets(targets);
        audit.Note("patchOutcome", outcome);
        if (skipped?.ToList() is { Count: > 0 } skippedIds) audit.Note("skipped", string.Join(',', skippedIds));
        if (commandIds?.ToList() is { Count: > 0 } ids) audit.Note("commandIds", string.Join(',', ids));
        if (reference is not null) audit.Note("patchRef", reference);
        if (error is not null) audit.Note("error", error);
    }

    /// <summary>
    /// Records a set carried by tag, size and digest instead of ids (a large tag group), so the audit still says exactly what was meant.
    /// </summary>
    public static void TagSet(TurnContext turn, string tagKey, string tagValue, int count, string? digest, string action = "patch")
    {
        var audit = turn.Audit.ForAction(action);
        audit.Note("targetTag", tagKey + "=" + tagValue);
        audit.Note("targetCount", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (digest is not null) audit.Note("targetDigest", digest);
    }
}
