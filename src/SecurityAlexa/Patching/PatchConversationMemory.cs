using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>What the patch conversation keeps between turns: the open "which ones?" question and the last run.</summary>
internal static class PatchConversationMemory
{
    // An answer to "which ones?" is a PatchIntent carrying a choice, for the same tag the question was about.
    internal static PatchChoice? OpenChoice(TurnContext turn)
    {
        if (turn.State.Patch?.Choosing is not { } choice) return null;
        var answered = turn.Slot(PatchSelection.SelectionSlot).HasValue || turn.Slot(PatchSelection.ExceptNameSlot).HasValue
            || (turn.Slot(PatchCandidateFinder.InstanceNameSlot).HasValue && turn.DialogState is not "STARTED");
        if (!answered) return null;
        var sameTag = string.Equals(turn.Slot(PatchCandidateFinder.TagKeySlot).Value, choice.HeardTagKey,
            StringComparison.OrdinalIgnoreCase)
            && string.Equals(turn.Slot(PatchCandidateFinder.TagValueSlot).Value, choice.HeardTagValue, StringComparison.OrdinalIgnoreCase);
        return sameTag ? choice : null;
    }

    internal static void SetChoice(TurnContext turn, PatchChoice? choice)
    {
        var memory = (turn.State.Patch ?? new PatchMemory()) with { Choosing = choice };
        turn.State.Patch = memory.IsEmpty ? null : memory;
    }

    internal static void Remember(TurnContext turn, string reference, List<string> commandIds, IReadOnlyList<PatchTarget> eligible,
        IReadOnlyList<string> patchedIds)
    {
        var patched = eligible.Where(t => patchedIds.Contains(t.Id)).ToList();
        turn.State.Patch = (turn.State.Patch ?? new PatchMemory()) with
        {
            Choosing = null,
            LastRun = new PatchRun
            {
                Reference = reference,
                CommandIds = commandIds,
                SentAt = turn.Now,
                Targets = new TargetMemory { InstanceIds = patched.Select(t => t.Id).ToList(),
                    Names = patched.Select(t => t.Name).ToList() },
            },
        };
    }
}
