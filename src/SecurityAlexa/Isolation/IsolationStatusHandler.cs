using System.Text;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Notifications;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// "Which instances are isolated?": every instance the skill's records say it isolated, and since when. Why goes on
/// the card only: a reason is free text someone typed or said, not for a room to hear. A marker tag without a record
/// is named as something other than this skill's, and an isolation group that gained rules is said and posted to the
/// chat channel (issue 13 §3).
/// </summary>
internal sealed class IsolationStatusHandler(InstanceIsolator isolator, IChatNotifier? chat) : IntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["IsolationStatusIntent"];

    // Groups spoken before the rest is left to the card.
    private const int MaxGroups = 4;

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        // What continues on the queue, as the table notes it for every session; read alongside the instances.
        var queuedTask = isolator.Queued.ListAsync(turn.Cancellation);
        var marked = await isolator.ListIsolatedAsync(turn.Cancellation).ConfigureAwait(false);
        // Both only read: which of them the skill's records hold, and whether an isolation group has gained rules.
        var recordsTask = isolator.RecordsAsync(marked.Select(s => s.InstanceId).ToList(), turn.Cancellation);
        var unsafeTask = isolator.UnsafeIsolationGroupsAsync(marked.SelectMany(InstanceIsolator.VpcsOfSubject)
            .Distinct(StringComparer.Ordinal).ToList(), turn.Cancellation);
        var records = await recordsTask.ConfigureAwait(false);
        IReadOnlyList<string> unsafeGroups;
        try
        {
            unsafeGroups = await unsafeTask.ConfigureAwait(false);
        }
        catch (AwsCallException)
        {
            // Said as unknown is worse than not said: the groups are checked again before any use.
            unsafeGroups = [];
        }
        // The reason is the record's, exact: the Reason tag is an escaped mirror (IsolationRecord.TagFormOfReason) and never read back.
        var isolated = marked.Where(s => records.GetValueOrDefault(s.InstanceId).Entry is not null)
            .Select(s => s with { Tags = WithRecordedReason(s.Tags, records[s.InstanceId].Entry!.Reason) }).ToList();
        var inProgress = InProgress(turn, isolated, await queuedTask.ConfigureAwait(false));
        var foreign = marked.Where(s => records.GetValueOrDefault(s.InstanceId) is { Entry: null, Error: null }).ToList();
        var warnings = new List<Spoken>();
        if (foreign.Count > 0)
            warnings.Add(lang.Say("status.foreign", ("names", lang.ListSome(foreign.Select(f => f.DisplayName).ToList(), 5)),
                ("isAre", foreign.Count == 1 ? "is" : "are")));
        foreach (var group in unsafeGroups)
        {
            warnings.Add(lang.Say("status.unsafeGroup", ("groupEnd", group.Length > 4 ? group[^4..] : group)));
            if (await IsolationChat.PostAsync(turn, chat, lang.Text("isolate.chat.unsafeGroup", ("group", group))).ConfigureAwait(false)
                is { } failed) warnings.Add(failed);
        }
        if (isolated.Count == 0)
        {
            var none = Spoken.Join(lang.Say("status.none"), Spoken.Join(Spoken.Join(warnings), inProgress));
            // In a conversation (after a release, say) keep listening; a one-shot question ends with its answer.
            return (turn.Envelope.Session is { New: false }
                ? Reply.Ask(Spoken.Join(none, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse"))
                : Reply.Tell(none)).Labelled(foreign.Count > 0 ? "foreign-markers" : "none-isolated");
        }

        // READ_ACCESS=speakers: a voice that may not change anything hears how many, not which or why.
        if (!ReadAccessCheck.MayHearNames(turn))
        {
            var counted = isolated.Count == 1 ? lang.Say("status.countOnlyOne")
                : lang.Say("status.countOnly", ("count", lang.Count(isolated.Count, "isolate.instance")));
            return Reply.Ask(Spoken.Join(counted, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse"))
                .WithCard(lang.Text("isolate.card.title"), counted.Text).Labelled("listed-counts");
        }

        // Instances isolated together (at the same time) are named together, not one "since ..." each.
        var groups = isolated.GroupBy(s => (Ago: AgoOf(turn, s), Complete: IsComplete(s))).ToList();
        var count = lang.Count(isolated.Count, "isolate.instance");
        Spoken Group(int i)
            => Entry(lang, lang.ListSome(groups[i].Select(s => s.DisplayName).ToList(), 5), groups[i].Key.Ago, groups[i].Key.Complete);
        var speech = isolated.Count == 1 ? lang.Say("status.one", ("entry", Group(0)))
            : groups.Count == 1 ? lang.Say("status.many", ("count", count), ("entries", Group(0)))
            : Spoken.Join(
                lang.Say("status.manyGroups", ("count", count)),
                Spoken.Join(Enumerable.Range(0, Math.Min(groups.Count, MaxGroups))
                    .Select(i => lang.Say("status.group", ("entry", Group(i))))),
                groups.Count > MaxGroups
                    ? lang.Say("status.moreOnCard", ("count", lang.Count(groups.Skip(MaxGroups).Sum(g => g.Count()), "isolate.instance")))
                    : null);
        if (isolated.Any(s => ReasonOf(s) is not null)) speech = Spoken.Join(speech, lang.Say("status.reasonsOnCard"));

        var card = new StringBuilder();
        foreach (var s in isolated)
        {
            card.AppendLine(lang.Text("status.card.line", ("name", s.DisplayName), ("id", s.InstanceId),
                ("at", s.IsolatedAt is { } at ? IsolationRecord.FormatTime(at) : "?"), ("by", s.IsolatedBy ?? "?"),
                    ("reason", string.IsNullOrWhiteSpace(s.Reason) ? lang.Text("isolate.noReason") : s.Reason),
                ("partial", IsComplete(s) ? "" : lang.Text("status.card.partial"))));
        }
        // One isolated instance is what "release it" will mean.
        if (isolated.Count == 1)
            turn.State.Focus = new TargetMemory { Description = isolated[0].DisplayName, InstanceIds = [isolated[0].InstanceId],
                Names = [isolated[0].DisplayName] };
        speech = Spoken.Join(speech, Spoken.Join(Spoken.Join(warnings), inProgress));
        return Screen.Show(turn, Reply.Ask(Spoken.Join(speech, lang.Say("isolate.anythingElse")), lang.Say("isolate.anythingElse")),
            IsolationScreens.Document,
                () => IsolationScreens.StatusData(lang, isolated, IsComplete, turn.Now, speech.Text))
            .WithCard(lang.Text("isolate.card.title"), card.ToString().TrimEnd())
            .Labelled("listed");
    }

    // The instances handed on to the queue that are not isolated yet (as far as the groups tell): those this conversation
    // remembers, and those the table notes for any session. Once all are done, the conversation's memory is dropped.
    private static Spoken InProgress(TurnContext turn, IReadOnlyList<IsolationSubject> isolated,
        QueuedListing listing)
    {
        var queued = listing.Instances;
        var done = isolated.Where(IsComplete).Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
        var remembered = new List<(string Id, string Name)>();
        if (turn.State.Isolation is { QueuedIds: { Count: > 0 } ids } memory)
        {
            var names = memory.QueuedNames is { } n && n.Count == ids.Count ? n : ids;
            remembered.AddRange(ids.Select((id, i) => (id, names[i])).Where(q => !done.Contains(q.id)));
            turn.State.Isolation = remembered.Count > 0
                ? memory with { QueuedIds = [.. remembered.Select(w => w.Id)], QueuedNames = [.. remembered.Select(w => w.Name)] }
                : memory.BlockedQuery is null ? null : memory with { QueuedIds = null, QueuedNames = null };
        }
        var waiting = remembered.Concat(queued.Where(q => !done.Contains(q.InstanceId)).Select(q => (Id: q.InstanceId, q.Name)))
            .DistinctBy(w => w.Id, StringComparer.Ordinal).ToList();
        var named = waiting.Count == 0 ? Spoken.Empty : turn.Lang.Say("status.inProgress",
            ("names", turn.Lang.List(waiting.Select(w => w.Name).ToList())), ("isAre", waiting.Count == 1 ? "is" : "are"));
        // The table could not be read: what this conversation remembers, and plainly that the rest is unknown.
        if (listing.Unknown) return Spoken.Join(named, turn.Lang.Say("status.inProgressUnknown"));
        // The table's list was cut short: the count is a floor, and said as one.
        if (listing.More && waiting.Count == 0) return turn.Lang.Say("status.inProgressUnread");
        if (listing.More)
            return turn.Lang.Say("status.inProgressAtLeast", ("count", turn.Lang.Count(waiting.Count, "isolate.instance")),
                ("names", turn.Lang.ListSome(waiting.Select(w => w.Name).ToList(), 5)));
        return named;
    }

    private static Spoken Entry(Lang lang, string names, string ago, bool complete) => complete
        ? lang.Say("status.entryNoReason", ("name", names), ("ago", ago))
        : lang.Say("status.entryPartialNoReason", ("name", names), ("ago", ago));

    private static string AgoOf(TurnContext turn, IsolationSubject s) =>
        s.IsolatedAt is { } at ? turn.Lang.Ago(at, turn.Now) : turn.Lang.Template("time.justNow");

    private static Dictionary<string, string> WithRecordedReason(IReadOnlyDictionary<string, string> tags, string? reason) =>
        new(tags.Where(t => t.Key != IsolationRecord.Reason).Append(new(IsolationRecord.Reason, reason ?? "")), StringComparer.Ordinal);

    private static string? ReasonOf(IsolationSubject s) => string.IsNullOrWhiteSpace(s.Reason) ? null : s.Reason.Trim();

    // DescribeInstances shows group names but not interface tags: judge by the isolation group's name.
    private static bool IsComplete(IsolationSubject s) =>
        s.Interfaces.Count > 0 && s.Interfaces.All(i => InstanceIsolator.InIsolationGroupByName(i, s.VpcId));
}
