using SecurityAlexa.Skill;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// Turns the PatchIntent / PatchDryRunIntent slots into candidate instances: a tag or name through the
/// target resolver, "them" through the conversation's focus, and "the vulnerable ones" through findings.
/// </summary>
internal sealed class PatchCandidateFinder(ITargetResolver targets, IVulnerabilityLookup? vulnerabilities)
{
    /// <summary>Slot names shared by the patch intents.</summary>
    public const string TagKeySlot = TargetSpeech.TagKeySlot, TagValueSlot = TargetSpeech.TagValueSlot,
        InstanceNameSlot = TargetSpeech.InstanceNameSlot, ScopeSlot = "Scope";

    /// <summary>Finds the candidates for the current turn.</summary>
    public async Task<CandidateResult> FindAsync(TurnContext turn)
    {
        var query = TargetSpeech.Query(turn);
        var vulnerable = turn.Slot(ScopeSlot).HasValue;

        if (query.IsEmpty)
        {
            if (turn.State.Focus is { IdsOmitted: true } large) return await FromLargeFocusAsync(turn, large, vulnerable)
                .ConfigureAwait(false);
            if (turn.State.Focus is not { InstanceIds.Count: > 0 } focus) return new CandidateResult.NeedTargets();
            var described = await targets.DescribeAsync(focus.InstanceIds, turn.Cancellation).ConfigureAwait(false);
            var order = focus.InstanceIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            var inFocus = described.Where(i => order.ContainsKey(i.Id)).OrderBy(i => order[i.Id]).ToList();
            if (inFocus.Count == 0) return new CandidateResult.NeedTargets();
            // A focus without a tag is described by its names, which are spoken anyway.
            var focusDescription = focus.TagKey is null ? "" : focus.Description;
            // The scan report's focus already holds the vulnerable ones; findings are re-read only when they can be.
            var focusTag = focus.TagKey is { } k && focus.TagValue is { } v ? new TagSelector(k, v) : null;
            if (vulnerable && vulnerabilities is not null
                && await KeepVulnerableAsync(turn, focusTag, focusDescription, inFocus, named: false, fromFocus: true)
                    .ConfigureAwait(false) is { } kept)
                return kept;
            // A scan report's focus is the vulnerable ones already: "patch them" says so.
            return new CandidateResult.Found(new PatchCandidates(focusDescription, inFocus, focusTag, null,
                vulnerable || focus.Vulnerable == true, NamedDirectly: false, FromFocus: true));
        }

        // A tag alone is read in every live state at once, so a large group's tag-targeted command can be checked against
        // what it would address without reading the tag's pages twice; the candidates are still the running ones.
        var wholeTagQuery = query.Name is null && !vulnerable && !query.IncludeStopped;
        var result = await targets.ResolveAsync(wholeTagQuery ? query with { IncludeStopped = true } : query, turn.Cancellation)
            .ConfigureAwait(false);
        IReadOnlyList<InstanceInfo>? addressed = null;
        if (wholeTagQuery && result is TargetResult.Found { Selection: var all })
        {
            var running = all.Instances.Where(i => i.State == "running").ToList();
            // None running, or a name rather than a tag: ask as before, for the usual answer.
            if (running.Count == 0 || all.Tag is null) result = await targets.ResolveAsync(query, turn.Cancellation).ConfigureAwait(false);
            else
            {
                addressed = all.Instances;
                result = new TargetResult.Found(all with { Instances = running });
            }
        }
        if (result is not TargetResult.Found found) return new CandidateResult.Unresolved(result);
        var selection = found.Selection;
        var description = TargetSpeech.Describe(turn.Lang, selection).Text;
        var namedDirectly = query.Name is not null && query.TagKey is null && query.TagValue is null;
        if (vulnerable)
        {
            var kept = vulnerabilities is null ? null
                : await KeepVulnerableAsync(turn, selection.Tag, description, selection.Instances, namedDirectly, fromFocus: false)
                    .ConfigureAwait(false);
            return kept ?? new CandidateResult.VulnerabilityUnknown(description);
        }
        var wholeTag = query.Name is null ? selection.Tag : null;
        return new CandidateResult.Found(new PatchCandidates(description, selection.Instances, selection.Tag, wholeTag, Vulnerable: false,
            namedDirectly, FromFocus: false)
        {
            Addressed = addressed,
        });
    }

    // A focus too large to carry its ids is read again from its tag (running instances), and, when it was the vulnerable
    // ones, filtered by the findings again. Never read as "nothing" or as "everything".
    private async Task<CandidateResult> FromLargeFocusAsync(TurnContext turn, TargetMemory focus, bool vulnerable)
    {
        if (focus.TagKey is not { } key || focus.TagValue is not { } value) return new CandidateResult.NeedTargets();
        var onlyVulnerable = vulnerable || focus.Vulnerable == true;
        var result = await targets.ResolveAsync(new TargetQuery { TagKey = key, TagValue = value, IncludeStopped = !onlyVulnerable },
            turn.Cancellation).ConfigureAwait(false);
        if (result is not TargetResult.Found { Selection: var selection } || selection.Tag is not { } tag || tag.Key != key)
            return new CandidateResult.Unresolved(result);
        var running = selection.Instances.Where(i => i.State == "running").ToList();
        if (running.Count == 0)
            return new CandidateResult.Unresolved(await targets.ResolveAsync(new TargetQuery { TagKey = key, TagValue = value },
                turn.Cancellation).ConfigureAwait(false));
        if (!onlyVulnerable)
            return new CandidateResult.Found(new PatchCandidates(focus.Description, running, tag, tag, Vulnerable: false,
                NamedDirectly: false, FromFocus: true)
            {
                Addressed = selection.Instances,
            });
        selection = selection with { Instances = running };
        if (vulnerabilities is null) return new CandidateResult.VulnerabilityUnknown(focus.Description);
        return await KeepVulnerableAsync(turn, tag, focus.Description, selection.Instances, named: false, fromFocus: true)
            .ConfigureAwait(false)
            ?? new CandidateResult.VulnerabilityUnknown(focus.Description);
    }

    // Null when findings cannot be read for these instances.
    private async Task<CandidateResult?> KeepVulnerableAsync(TurnContext turn, TagSelector? tag, string description,
        IReadOnlyList<InstanceInfo> instances,
        bool named, bool fromFocus)
    {
        var vulnerableIds = await vulnerabilities!.VulnerableAmongAsync(tag, instances.Select(i => i.Id).ToList(), turn.Cancellation)
            .ConfigureAwait(false);
        if (vulnerableIds is null) return null;
        var kept = instances.Where(i => vulnerableIds.Contains(i.Id)).ToList();
        if (kept.Count == 0) return new CandidateResult.NoneVulnerable(description, instances.Count);
        return new CandidateResult.Found(new PatchCandidates(description, kept, tag, WholeTag: null, Vulnerable: true, named, fromFocus));
    }
}
