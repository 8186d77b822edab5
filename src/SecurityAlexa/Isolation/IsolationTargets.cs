using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>Either the instances a turn is about, or the reply that asks the user to say which.</summary>
public sealed record TargetsOrReply(IReadOnlyList<InstanceInfo>? Instances, Reply? Reply, TargetSelection? Selection = null);

/// <summary>Turns the InstanceName / TagKey / TagValue slots (or the instances in focus) into instances, for the isolation intents.</summary>
public static class IsolationTargets
{
    /// <summary>Slot names shared with the interaction model.</summary>
    public const string InstanceNameSlot = "InstanceName";
    public const string TagKeySlot = "TagKey";
    public const string TagValueSlot = "TagValue";
    public const string ReasonSlot = "Reason";

    /// <summary>Resolves the spoken target. With nothing named, the instances in focus are used; with none, the user is asked.</summary>
    public static async Task<TargetsOrReply> ResolveAsync(TurnContext turn, ITargetResolver targets, string whichKey, bool mutating)
    {
        var query = new TargetQuery
        {
            Name = turn.Slot(InstanceNameSlot).Value,
            TagKey = turn.Slot(TagKeySlot).Value,
            TagValue = turn.Slot(TagValueSlot).Value,
            // Isolating or releasing a stopped instance is meaningful: its interfaces keep their groups.
            IncludeStopped = true,
        };

        if (query.IsEmpty)
        {
            if (turn.State.Focus is { InstanceIds.Count: > 0 } focus)
            {
                var known = await targets.DescribeAsync(focus.InstanceIds, turn.Cancellation).ConfigureAwait(false);
                if (known.Count > 0) return new TargetsOrReply(known, null);
            }
            return new TargetsOrReply(null, Elicit(turn, InstanceNameSlot, turn.Lang.Say(whichKey), turn.Lang.Say(whichKey + ".reprompt")));
        }

        var result = await targets.ResolveAsync(query, turn.Cancellation).ConfigureAwait(false);
        switch (result)
        {
            case TargetResult.Found found:
                return new TargetsOrReply(found.Selection.Instances, null, found.Selection);
            case TargetResult.Ambiguous ambiguous:
                var slot = ambiguous.Kind switch
                {
                    AmbiguityKind.TagKey => TagKeySlot,
                    AmbiguityKind.TagValue => TagValueSlot,
                    _ => InstanceNameSlot,
                };
                return new TargetsOrReply(null, Elicit(turn, slot,
                    turn.Lang.Say("isolate.ambiguous", ("heard", ambiguous.Heard), ("candidates", turn.Lang.ListOr(ambiguous.Candidates.Take(5)))),
                    turn.Lang.Say("isolate.ambiguous.reprompt")));
            case TargetResult.NotFound notFound when notFound.Known.Count > 0:
                return new TargetsOrReply(null, Elicit(turn, notFound.Kind switch
                    {
                        NotFoundKind.NoSuchTagKey => TagKeySlot,
                        NotFoundKind.NoSuchTagValue => TagValueSlot,
                        _ => InstanceNameSlot,
                    },
                    turn.Lang.Say("isolate.notFound.known", ("heard", notFound.Heard), ("known", turn.Lang.ListSome(notFound.Known, 5))),
                    turn.Lang.Say("isolate.ambiguous.reprompt")));
            case TargetResult.NotFound notFound:
                return new TargetsOrReply(null, Reply.Tell(turn.Lang.Say(mutating ? "isolate.notFound" : "isolate.notFound.plain", ("heard", notFound.Heard))).Labelled("not-found"));
            default:
                return new TargetsOrReply(null, Reply.Tell(turn.Lang.Say("isolate.notFound.plain", ("heard", query.Name ?? query.TagValue ?? query.TagKey))).Labelled("not-found"));
        }
    }

    /// <summary>Remembers the instances for "it" and "them".</summary>
    public static void Focus(TurnContext turn, IReadOnlyList<InstanceInfo> instances, TargetSelection? selection = null) =>
        turn.State.Focus = new TargetMemory
        {
            Description = selection?.Description ?? string.Join(", ", instances.Select(i => i.DisplayName)),
            InstanceIds = instances.Select(i => i.Id).ToList(),
            Names = instances.Select(i => i.DisplayName).ToList(),
            TagKey = selection?.Tag?.Key,
            TagValue = selection?.Tag?.Value,
        };

    private static Reply Elicit(TurnContext turn, string slot, Spoken question, Spoken reprompt) =>
        Reply.ElicitSlot(question, reprompt, slot, turn.Intent ?? new Intent { Name = turn.IntentName }).Labelled("elicit-" + slot);
}
