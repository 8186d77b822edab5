using SecurityAlexa.Alexa;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;

namespace SecurityAlexa.Targets;

/// <summary>
/// What to say about a resolved or unresolved target. Shared by every capability, so that
/// "which one do you mean?" and "I found no instances tagged ..." sound the same everywhere.
/// </summary>
internal static class TargetSpeech
{
    /// <summary>The slot each kind of question fills (the agreed slot names).</summary>
    public const string TagKeySlot = "TagKey";

    /// <summary>The tag value slot.</summary>
    public const string TagValueSlot = "TagValue";

    /// <summary>The instance name slot.</summary>
    public const string InstanceNameSlot = "InstanceName";

    // Long lists are cut short when spoken; the card is for detail.
    private const int MaxSpoken = 5;

    /// <summary>The query the standard slots describe (TagKey, TagValue, InstanceName).</summary>
    public static TargetQuery Query(TurnContext turn, bool includeStopped = false) => new()
    {
        TagKey = turn.Slot(TagKeySlot).Value,
        TagValue = turn.Slot(TagValueSlot).Value,
        Name = turn.Slot(InstanceNameSlot).Value,
        IncludeStopped = includeStopped,
    };

    /// <summary>"tagged Environment prod", or the names ("web-1 and web-2").</summary>
    public static Spoken Describe(Lang lang, TargetSelection selection) => selection.Tag is { } tag
        ? lang.Say("target.tagged", ("key", tag.Key), ("value", tag.Value))
        : Spoken.Plain(lang.ListSome(selection.Instances.Select(i => i.DisplayName).ToList(), MaxSpoken));

    /// <summary>"3 instances tagged Environment prod", or the names: what an action is about.</summary>
    public static Spoken Subject(Lang lang, TargetSelection selection) => selection.Tag is null
        ? Describe(lang, selection)
        : lang.Say("target.subject.tagged", ("count", lang.Count(selection.Instances.Count, "instance")),
            ("tagged", Describe(lang, selection)));

    /// <summary>What the session remembers about a selection, for "them" and "it" in the next turn.</summary>
    public static TargetMemory Remember(Lang lang, TargetSelection selection, IEnumerable<InstanceInfo>? only = null)
    {
        var instances = (only ?? selection.Instances).ToList();
        return TargetMemory.Of(Describe(lang, selection).Text, instances.Select(i => i.Id).ToList(),
            instances.Select(i => i.DisplayName).ToList(),
            selection.Tag?.Key, selection.Tag?.Value);
    }

    /// <summary>The sentence for a result that found nothing to act on, or needs a choice. Empty for Found.</summary>
    public static Spoken Problem(Lang lang, TargetResult result) => result switch
    {
        TargetResult.Ambiguous a => Question(lang, a),
        TargetResult.NotFound n => NotFound(lang, n),
        _ => Spoken.Empty,
    };

    /// <summary>
    /// The reply for a result that is not Found: a "which one?" asks for the slot again when the intent
    /// has it (Alexa then returns the same intent with the answer); anything else keeps listening.
    /// </summary>
    public static Reply ReplyFor(TurnContext turn, TargetResult result)
    {
        var lang = turn.Lang;
        result = AsSaid(turn, result);
        if (result is TargetResult.Ambiguous ambiguous)
        {
            var question = Question(lang, ambiguous);
            var reprompt = lang.Say("target.ambiguous.reprompt", ("options", lang.ListOr(Options(lang, ambiguous))));
            var slot = ambiguous.Kind switch
            {
                AmbiguityKind.TagKey => TagKeySlot,
                AmbiguityKind.TagValue => TagValueSlot,
                _ => InstanceNameSlot,
            };
            if (turn.Intent?.Slots is { } slots && slots.ContainsKey(slot))
                return Reply.ElicitSlot(question, reprompt, slot, WithoutSlot(turn.Intent, slot)).Labelled("target-ambiguous");
            return Reply.Ask(question, reprompt).Labelled("target-ambiguous");
        }
        return Reply.Ask(Problem(lang, result), lang.Say("target.reprompt")).Labelled("target-not-found");
    }

    /// <summary>
    /// A result that names the word heard, with the word the user really said when Alexa matched it through a synonym:
    /// "team (Owner)", never only "Owner", which the user did not say.
    /// </summary>
    public static TargetResult AsSaid(TurnContext turn, TargetResult result)
    {
        if (result is not TargetResult.NotFound n) return result;
        var slot = n.Kind switch
        {
            NotFoundKind.NoSuchTagKey => TagKeySlot,
            NotFoundKind.NoSuchTagValue or NotFoundKind.NoRunningInstances when turn.Slot(TagValueSlot).HasValue => TagValueSlot,
            _ => null,
        };
        if (slot is null || turn.Slot(slot) is not { Status: SlotStatus.Matched, Heard: { } heard,
            ResolvedName: { } resolved }) return result;
        if (!string.Equals(n.Heard, resolved, StringComparison.Ordinal)
            || SpokenMatch.Compact(heard) == SpokenMatch.Compact(resolved)) return result;
        return n with { Heard = turn.Lang.Text("target.heardAs", ("heard", heard), ("resolved", resolved)) };
    }

    private static Spoken Question(Lang lang, TargetResult.Ambiguous a)
    {
        var options = lang.ListOr(Options(lang, a));
        return a.Kind switch
        {
            AmbiguityKind.TagKey => lang.Say("target.ambiguous.key", ("options", options)),
            AmbiguityKind.TagValue => lang.Say("target.ambiguous.value", ("options", options)),
            _ => lang.Say("target.ambiguous.name", ("options", options)),
        };
    }

    // Instances that share a name are offered by the end of their id.
    private static List<string> Options(Lang lang, TargetResult.Ambiguous a) => a.Candidates
        .Take(MaxSpoken)
        .Select(c => a.Kind == AmbiguityKind.InstanceName && c.StartsWith("i-", StringComparison.Ordinal)
            ? lang.Text("target.idEnding", ("ending", c[^4..]))
            : c)
        .ToList();

    private static Spoken NotFound(Lang lang, TargetResult.NotFound n)
    {
        var known = lang.ListSome(n.Known, MaxSpoken);
        return n.Kind switch
        {
            NotFoundKind.NothingNamed => lang.Say("target.nothingNamed"),
            NotFoundKind.TooManyToRead when n.AtLeast > 0
                => lang.Say("target.tooMany", ("heard", n.Heard), ("count", lang.Count(n.AtLeast, "instance"))),
            NotFoundKind.TooManyToRead => lang.Say("target.tooManyTags", ("heard", n.Heard)),
            NotFoundKind.NoSuchTagKey when n.Known.Count == 0 => lang.Say("target.noTagsAtAll"),
            NotFoundKind.NoSuchTagKey => lang.Say("target.noSuchTagKey", ("heard", n.Heard), ("known", known)),
            NotFoundKind.NoSuchTagValue when n.ResolvedKey is null && n.Known.Count == 0 => lang.Say("target.noTagsAtAll"),
            NotFoundKind.NoSuchTagValue when n.ResolvedKey is null
                => lang.Say("target.noSuchTagValueAnyKey", ("heard", n.Heard), ("known", known)),
            NotFoundKind.NoSuchTagValue => lang.Say("target.noSuchTagValue", ("key", n.ResolvedKey), ("heard", n.Heard), ("known", known)),
            NotFoundKind.NoSuchInstance when !IsSayable(n.Heard)
                => lang.Say(n.Known.Count == 0 ? "target.noSuchInstance.unsaid" : "target.noSuchInstance.unsaid.known", ("known", known)),
            NotFoundKind.NoSuchInstance when n.Known.Count == 0 => lang.Say("target.noSuchInstance", ("heard", n.Heard)),
            NotFoundKind.NoSuchInstance => lang.Say("target.noSuchInstance.known", ("heard", n.Heard), ("known", known)),
            NotFoundKind.NoRunningInstances when n.ResolvedKey is not null
                => lang.Say("target.notRunning.tag", ("key", n.ResolvedKey), ("heard", n.Heard), ("known", known)),
            _ => lang.Say(n.Known.Count == 1 ? "target.notRunning.name" : "target.notRunning.names",
                ("known", n.Known.Count == 0 ? n.Heard : known)),
        };
    }

    // An ARN, a path or a long string in the instance slot is not a name anyone said: repeating it would read out whatever was
    // forged into it (an account, a region, a resource path), so it is not read back at all.
    private static bool IsSayable(string heard) =>
        heard.Length <= 64 && heard.IndexOfAny([':', '/', '\\', '@']) < 0;

    private static Intent WithoutSlot(Intent intent, string slot)
    {
        var slots = new Dictionary<string, Slot>(intent.Slots ?? [], StringComparer.Ordinal)
        {
            [slot] = new Slot { Name = slot, ConfirmationStatus = "NONE" },
        };
        return new Intent { Name = intent.Name, ConfirmationStatus = "NONE", Slots = slots };
    }
}
