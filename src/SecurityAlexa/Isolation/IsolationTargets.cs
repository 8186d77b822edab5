using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Turns the InstanceName / TagKey / TagValue slots (or the instances in focus) into instances, for the isolation intents.
/// </summary>
internal static class IsolationTargets
{
    /// <summary>The reason slot of IsolateIntent.</summary>
    public const string ReasonSlot = "Reason";

    /// <summary>Resolves the spoken target. With nothing named, the instances in focus are used; with none, the user is asked.</summary>
    public static async Task<TargetsOrReply> ResolveAsync(TurnContext turn, ITargetResolver targets, string whichKey)
    {
        // Isolating or releasing a stopped instance is meaningful: its interfaces keep their groups.
        var query = TargetSpeech.Query(turn, includeStopped: true);
        if (query.IsEmpty)
        {
            // A focus too large to carry its ids (a big tag's scan report) is never isolated or released from memory: ask which.
            if (turn.State.Focus is { IdsOmitted: true } large)
            {
                var ask = turn.Intent ?? new Intent { Name = turn.IntentName };
                var said = turn.Lang.Say("isolate.focusTooLarge",
                    ("what", turn.Lang.Count(large.Size, "isolate.instance") + " " + large.Description));
                return new TargetsOrReply(null,
                    Reply.ElicitSlot(Spoken.Join(said, turn.Lang.Say(whichKey)), turn.Lang.Say(whichKey + ".reprompt"),
                    TargetSpeech.InstanceNameSlot, ask)
                    .Labelled("focus-too-large"));
            }
            if (turn.State.Focus is { InstanceIds.Count: > 0 } focus)
            {
                var known = await targets.DescribeAsync(focus.InstanceIds, turn.Cancellation).ConfigureAwait(false);
                if (known.Count > 0) return new TargetsOrReply(known, null);
            }
            var intent = turn.Intent ?? new Intent { Name = turn.IntentName };
            return new TargetsOrReply(null,
                Reply.ElicitSlot(turn.Lang.Say(whichKey), turn.Lang.Say(whichKey + ".reprompt"), TargetSpeech.InstanceNameSlot, intent)
                .Labelled("elicit-instance"));
        }

        var result = await targets.ResolveAsync(query, turn.Cancellation).ConfigureAwait(false);
        if (result is not TargetResult.Found found) return new TargetsOrReply(null, TargetSpeech.ReplyFor(turn, result));
        // Each instance is read back, recorded and undone one by one; a group larger than a session can carry is refused whole.
        if (found.Selection.Instances.Count > MaxInstances)
        {
            var what = turn.Lang.Count(found.Selection.Instances.Count, "isolate.instance") + " "
                + TargetSpeech.Describe(turn.Lang, found.Selection).Text;
            var said = turn.Lang.Say("isolate.tooMany", ("what", what), ("limit", MaxInstances));
            return new TargetsOrReply(null,
                Reply.Ask(Spoken.Join(said, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse"))
                .Labelled("too-many"));
        }
        return new TargetsOrReply(found.Selection.Instances, null, found.Selection);
    }

    /// <summary>The most instances one isolate or release request acts on (the most ids a session carries).</summary>
    public const int MaxInstances = InstanceSet.MaxIds;

    /// <summary>Remembers the instances for "it" and "them".</summary>
    public static void Focus(TurnContext turn, IReadOnlyList<InstanceInfo> instances, TargetSelection? selection = null) =>
        turn.State.Focus = selection is not null
            ? TargetSpeech.Remember(turn.Lang, selection, instances)
            : new TargetMemory
            {
                Description = turn.Lang.ListSome(instances.Select(i => i.DisplayName).ToList(), 5),
                InstanceIds = instances.Select(i => i.Id).ToList(),
                Names = instances.Select(i => i.DisplayName).ToList(),
            };
}
