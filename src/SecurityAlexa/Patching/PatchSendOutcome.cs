using System.Net.Sockets;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Patching;

/// <summary>
/// A SendCommand whose outcome is unknown. A time-out, a cancelled request, a 5xx or a connection broken after the
/// request was written may hide a command SSM accepted. Such a command is looked up (its reference in the state table,
/// then its comment, which carries the run's reference), never sent again; while it stays unknown a new patch of the same
/// instances waits for the answer.
/// </summary>
internal static class PatchSendOutcome
{
    /// <summary>After this long with no command carrying the comment, it was most likely never accepted.</summary>
    public static readonly TimeSpan NotSentAfter = TimeSpan.FromMinutes(3);

    /// <summary>How long an unknown run holds back a new patch of the same instances.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);

    /// <summary>The least time a look-up is started with, so that it can answer within the turn.</summary>
    public static readonly TimeSpan LookupMinimum = TimeSpan.FromMilliseconds(500);

    // SSM's clock and ours may differ; InvokedAfter is compared on SSM's.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    // One page of ListCommands: a run's commands are among the newest AWS-RunPatchBaseline ones.
    private const int LookupLimit = 50;

    /// <summary>
    /// False only when SSM cannot have accepted the command: it answered with a refusal (4xx: denied, throttled,
    /// invalid), the connection was never made, or nothing was asked (a setting is missing). Anything else (time-out,
    /// cancellation, 5xx, a reset connection, a success without a command id) may hide a command that was accepted.
    /// </summary>
    public static bool MayHaveBeenSent(AwsCallException e)
    {
        if (e.Failure is AwsFailure.AccessDenied or AwsFailure.Throttled or AwsFailure.InvalidRequest or AwsFailure.NotConfigured)
            return false;
        if (e.Status is { } status && (int)status is >= 400 and < 500) return false;
        return !NeverConnected(e.InnerException);
    }

    // Name resolution and connection set-up fail before a byte of the request is written.
    private static bool NeverConnected(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                    or HttpRequestError.SecureConnectionError }:
                    return true;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return true;
                case HttpRequestException or IOException or SocketException:
                    return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Looks for the command with exactly this comment among the recent patch commands, skipping the ids already known.
    /// Only while the turn has time; a failed listing is "impossible", not "not found".
    /// </summary>
    public static async Task<CommandLookup> LookUpAsync(TurnContext turn, IPatchManager patches, PatchReferences references, string comment,
        DateTimeOffset since, IEnumerable<string> known)
    {
        if (turn.Cancellation.IsCancellationRequested || TurnBudget.Left(turn) < LookupMinimum) return new(LookupOutcome.Impossible);
        var skip = known.ToHashSet(StringComparer.Ordinal);
        // The state table first: whoever learnt the command id wrote it there, and it needs no page of ListCommands.
        if (await references.CommandIdAsync(turn, comment).ConfigureAwait(false) is { } recorded && !skip.Contains(recorded))
            return new(LookupOutcome.Found, new PatchCommand(recorded, comment, "Pending", null, 0, 0, 0));
        if (turn.Cancellation.IsCancellationRequested || TurnBudget.Left(turn) < LookupMinimum) return new(LookupOutcome.Impossible);
        IReadOnlyList<PatchCommand>? recent;
        try
        {
            recent = await TurnBudget.WithinTurnAsync(turn, ListAsync(), null, "patch.lookup").ConfigureAwait(false);
        }
        catch (AwsCallException e)
        {
            turn.Log.Warn("patch.lookup-failed", ("requestId", turn.RequestId), ("failure", e.Failure.ToString()),
                ("errorCode", e.ErrorCode));
            return new(LookupOutcome.Impossible);
        }
        catch (OperationCanceledException) when (turn.Cancellation.IsCancellationRequested)
        {
            return new(LookupOutcome.Impossible);
        }
        if (recent is null) return new(LookupOutcome.Impossible);

        async Task<IReadOnlyList<PatchCommand>?> ListAsync() =>
            await patches.ListRecentPatchCommandsAsync(since - ClockSkew, LookupLimit, turn.Cancellation).ConfigureAwait(false);
        var hit = recent.FirstOrDefault(c => string.Equals(c.Comment, comment, StringComparison.Ordinal) && !skip.Contains(c.CommandId));
        if (hit is null) return new(LookupOutcome.NotFound);
        await references.SentAsync(turn, comment, hit.CommandId).ConfigureAwait(false);
        return new(LookupOutcome.Found, hit);
    }

    /// <summary>Looks up the unknown command of a remembered run.</summary>
    public static Task<CommandLookup> LookUpAsync(TurnContext turn, IPatchManager patches, PatchReferences references, PatchRun run) =>
        LookUpAsync(turn, patches, references, run.UnknownComment ?? "", run.SentAt, run.CommandIds);

    /// <summary>The run with its unknown command found: one more command id, nothing unknown. Stored in the session.</summary>
    public static PatchRun Resolved(TurnContext turn, PatchRun run, string commandId)
    {
        var resolved = run with { CommandIds = [.. run.CommandIds, commandId], UnknownComment = null, UnknownIds = null,
            UnknownTagKey = null, UnknownTagValues = null };
        Settle(turn, run, resolved);
        return resolved;
    }

    /// <summary>
    /// The run after its unknown command was not found for <see cref="NotSentAfter"/>: treated as never sent, so that
    /// asking again is not held back. Null (and nothing stored) when no command of the run is known to have gone out.
    /// </summary>
    public static PatchRun? GivenUp(TurnContext turn, PatchRun run)
    {
        var unknown = (run.UnknownIds ?? []).ToHashSet(StringComparer.Ordinal);
        PatchRun? kept = null;
        if (run.CommandIds.Count > 0)
        {
            kept = run with
            {
                UnknownComment = null,
                UnknownIds = null,
                UnknownTagKey = null,
                UnknownTagValues = null,
                Targets = Only(run.Targets, id => !unknown.Contains(id)),
            };
        }
        Settle(turn, run, kept);
        turn.Log.Info("patch.unknown-given-up", ("requestId", turn.RequestId), ("ref", run.Reference), ("comment", run.UnknownComment));
        return kept;
    }

    /// <summary>The names of the run's instances whose command is unknown.</summary>
    public static IReadOnlyList<string> UnknownNames(PatchRun run)
    {
        var unknown = (run.UnknownIds ?? []).ToHashSet(StringComparer.Ordinal);
        return run.Targets.InstanceIds.Select((id, i) => (id, i)).Where(x => unknown.Contains(x.id))
            .Select(x => x.i < run.Targets.Names.Count ? run.Targets.Names[x.i] : x.id).ToList();
    }

    /// <summary>
    /// Before a new patch is sent: while an earlier run of this conversation has an unknown command that may reach any of
    /// these instances (<see cref="Reaches"/>), that command is looked up first. Found: the earlier patch did start, so
    /// nothing is sent and the user is told. Not found for <see cref="NotSentAfter"/>: it was not sent, and the next
    /// unresolved run is considered (null when none holds the patch back). Not found yet, or the look-up failed: nothing
    /// is sent. <paramref name="tagWide"/> is the tag of a tag-targeted request, whose <paramref name="instances"/> are the
    /// instances carrying it.
    /// </summary>
    public static async Task<Reply?> BeforeSendingAsync(TurnContext turn, IPatchManager patches, PatchReferences references,
        IReadOnlyList<Targets.InstanceInfo> instances, Targets.TagSelector? tagWide)
    {
        foreach (var run in UnresolvedRuns(turn))
        {
            if (!Reaches(run, instances, tagWide)) continue;
            if (await BeforeSendingAsync(turn, patches, references, run, instances, tagWide).ConfigureAwait(false) is { } reply)
                return reply;
        }
        return null;
    }

    /// <summary>
    /// True when the unknown command of <paramref name="run"/> may reach one of <paramref name="instances"/>: one of its ids, an
    /// instance carrying the tag it was sent to, or the same tag.
    /// </summary>
    public static bool Reaches(PatchRun run, IReadOnlyList<Targets.InstanceInfo> instances, Targets.TagSelector? tagWide)
    {
        var unknown = (run.UnknownIds ?? []).ToHashSet(StringComparer.Ordinal);
        if (instances.Any(i => unknown.Contains(i.Id))) return true;
        if (tagWide is not null && unknown.Contains(PatchOutcomeReplies.TagMarker(tagWide))) return true;
        return run.UnknownTagKey is { } key && run.UnknownTagValues is { Count: > 0 } values
            && instances.Any(i => i.Tag(key) is { } value && values.Contains(value, StringComparer.Ordinal));
    }

    // The unresolved runs still within the retry window, newest first; older ones no longer hold anything back.
    private static List<PatchRun> UnresolvedRuns(TurnContext turn)
    {
        var memory = turn.State.Patch;
        var last = memory?.LastRun is { OutcomeUnknown: true } l ? l : null;
        // The last run, when it is the same run, is the full record of it (the unresolved copy keeps only the unknown part).
        var all = (memory?.Unresolved ?? []).Where(r => r.OutcomeUnknown).Select(r => r.Reference == last?.Reference ? last : r).ToList();
        // A session written before unresolved runs were kept apart holds its unknown run only as the last run.
        if (last is not null && all.All(r => r.Reference != last.Reference)) all.Add(last);
        return all.Where(r => turn.Now - r.SentAt <= RetryWindow).OrderByDescending(r => r.SentAt).ToList();
    }

    private static async Task<Reply?> BeforeSendingAsync(TurnContext turn, IPatchManager patches, PatchReferences references,
        PatchRun run, IReadOnlyList<Targets.InstanceInfo> instances, Targets.TagSelector? tagWide)
    {
        var age = turn.Now - run.SentAt;
        var lang = turn.Lang;
        var names = PatchSpeech.Names(lang, UnknownNames(run));
        var ago = lang.Ago(run.SentAt, turn.Now);
        var lookup = await LookUpAsync(turn, patches, references, run).ConfigureAwait(false);
        switch (lookup)
        {
            case { Outcome: LookupOutcome.Found, Command: { } command }:
                var resolved = Resolved(turn, run, command.CommandId);
                PatchAudit.Write(turn, "patch", "already-sent", run.UnknownIds, commandIds: [command.CommandId], reference: run.Reference);
                return Reply.Ask(lang.Say("patch.unknown.wasSent", ("ago", ago), ("names", names)), lang.Say("patch.started.reprompt"))
                    .WithCard(lang.Text("patch.card.title"), string.Join("\n",
                        lang.Text("patch.card.commands", ("ids", string.Join(", ", resolved.CommandIds))),
                        lang.Text("patch.card.reference", ("ref", run.Reference))))
                    .Labelled("patch-already-sent");
            case { Outcome: LookupOutcome.NotFound } when age >= NotSentAfter:
                GivenUp(turn, run);
                return null;
            default:
                PatchAudit.Write(turn, "patch", "refused-outcome-unknown", tagWide is null ? instances.Select(i => i.Id) : null,
                    reference: run.Reference);
                return Reply.Ask(lang.Say("patch.unknown.stillUnknown", ("ago", ago), ("names", names)),
                    lang.Say("patch.started.reprompt"))
                    .Labelled("patch-outcome-still-unknown");
        }
    }

    /// <summary>
    /// The answer when a command's outcome is unknown and the look-up did not find it: what went, what may have gone,
    /// what was not sent. The run is remembered with the unknown command's comment, audited "outcome-unknown" and posted.
    /// </summary>
    public static async Task<Reply> UnknownAsync(TurnContext turn, string speechKey, string error, IChatNotifier? chat,
        PatchRunParts parts)
    {
        var lang = turn.Lang;
        var eligible = parts.Eligible;
        var sentIds = parts.Sent.SelectMany(s => s.Target.IsTag ? eligible.Select(t => t.Id) : s.Target.InstanceIds)
            .ToHashSet(StringComparer.Ordinal);
        var unknownIds = (parts.Unknown.IsTag ? eligible.Select(t => t.Id) : parts.Unknown.InstanceIds).Where(id => !sentIds.Contains(id))
            .ToList();
        var sentTargets = eligible.Where(t => sentIds.Contains(t.Id)).ToList();
        var unknownTargets = eligible.Where(t => unknownIds.Contains(t.Id, StringComparer.Ordinal)).ToList();
        var notSent = eligible.Count - sentTargets.Count - unknownTargets.Count;
        var commandIds = parts.Sent.Select(s => s.CommandId).ToList();
        var remembered = sentTargets.Concat(unknownTargets).ToList();

        StoreUnknown(turn, new PatchRun
        {
            Reference = parts.Reference,
            CommandIds = commandIds,
            SentAt = turn.Now,
            Targets = new TargetMemory { InstanceIds = remembered.Select(t => t.Id).ToList(),
                Names = remembered.Select(t => t.Name).ToList() },
            UnknownComment = parts.Comment,
            UnknownIds = unknownIds,
        });
        PatchAudit.Write(turn, "patch", "outcome-unknown", remembered.Select(t => t.Id), parts.SkippedIds, commandIds, parts.Reference,
            error);
        var audit = turn.Audit.ForAction("patch").Note("unknownTargets", string.Join(',', unknownIds));
        if (notSent > 0) audit.Note("notSent",
            string.Join(',',
            eligible.Where(t => !sentIds.Contains(t.Id) && !unknownIds.Contains(t.Id, StringComparer.Ordinal)).Select(t => t.Id)));
        turn.Log.Warn("patch.outcome-unknown", ("requestId", turn.RequestId), ("ref", parts.Reference), ("comment", parts.Comment),
            ("error", error));

        Spoken? chatSpeech = null;
        if (!turn.Cancellation.IsCancellationRequested)
            chatSpeech = await ChatPost.PostAsync(turn, chat,
                Chat(lang, turn, parts.Reference, sentTargets, commandIds, unknownTargets, notSent, error)).ConfigureAwait(false);

        var unknownNames = unknownTargets.Select(t => t.Name).ToList();
        var speech = Spoken.Join(
            sentTargets.Count > 0
                ? lang.Say("patch.send.unknown.started", ("what", PatchSpeech.What(lang, sentTargets.Count)),
                ("names", PatchSpeech.Names(lang, sentTargets.Select(t => t.Name)))) : null,
            lang.Say(speechKey, ("what", PatchSpeech.What(lang, unknownNames.Count)), ("names", PatchSpeech.Names(lang, unknownNames))),
            notSent > 0 ? lang.Say("patch.send.unknown.rest", ("rest", notSent)) : null,
            chatSpeech,
            lang.Say("patch.send.unknown.advice"));
        var card = new List<string>();
        if (commandIds.Count > 0) card.Add(lang.Text("patch.card.commands", ("ids", string.Join(", ", commandIds))));
        card.Add(lang.Text("patch.card.reference", ("ref", parts.Reference)));
        if (sentTargets.Count > 0) card.Add(lang.Text("patch.card.instances",
            ("names", string.Join(", ", sentTargets.Select(t => t.Name)))));
        card.Add(lang.Text("patch.card.unknown", ("names", string.Join(", ", unknownNames)), ("comment", parts.Comment)));
        return Reply.Ask(speech, lang.Say("patch.started.reprompt"))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled("patch-outcome-unknown");
    }

    private static string? Chat(Lang lang, TurnContext turn, string reference, IReadOnlyList<PatchTarget> sent,
        IReadOnlyList<string> commandIds,
        IReadOnlyList<PatchTarget> unknown, int notSent, string error)
    {
        static string Instances(Lang lang, IEnumerable<PatchTarget> targets) =>
            string.Join(", ", targets.Select(t => lang.Text("patch.chat.instance", ("name", t.Name), ("id", t.Id))));
        var lines = new List<string>
        {
            lang.Text("patch.chat.unknown", ("how", lang.Text("patch.chat.byVoice", ("who", ChatPost.Speaker(turn)))),
                ("count", lang.Count(unknown.Count, "instance")), ("instances", Instances(lang, unknown)), ("error", error),
                    ("ref", reference)),
        };
        if (sent.Count > 0)
            lines.Add(lang.Text("patch.chat.unknown.sent", ("count", lang.Count(sent.Count, "instance")),
                ("instances", Instances(lang, sent)), ("commands", string.Join(", ", commandIds))));
        if (notSent > 0) lines.Add(lang.Text("patch.chat.unknown.rest", ("count", lang.Count(notSent, "instance"))));
        return string.Join("\n", lines);
    }

    /// <summary>
    /// Remembers a run with an unknown command: as the last run, and among the unresolved ones (where a later run cannot
    /// overwrite it). Unresolved runs past the retry window are dropped.
    /// </summary>
    public static void StoreUnknown(TurnContext turn, PatchRun run)
    {
        var memory = turn.State.Patch ?? new PatchMemory();
        // Only what holds a later patch back and names it is kept twice: the session stays small.
        var unknown = (run.UnknownIds ?? []).ToHashSet(StringComparer.Ordinal);
        var slim = run with { Targets = Only(run.Targets, unknown.Contains) };
        var unresolved = (memory.Unresolved ?? []).Where(r => r.Reference != run.Reference && turn.Now - r.SentAt <= RetryWindow)
            .Append(slim).ToList();
        turn.State.Patch = memory with { Choosing = null, LastRun = run, Unresolved = unresolved };
    }

    // The targets whose ids pass, each with its name (names are kept in the ids' order).
    private static TargetMemory Only(TargetMemory targets, Func<string, bool> keep)
    {
        var kept = targets.InstanceIds.Select((id, i) => (id, i)).Where(x => keep(x.id)).ToList();
        return targets with
        {
            InstanceIds = kept.Select(x => x.id).ToList(),
            Names = kept.Where(x => x.i < targets.Names.Count).Select(x => targets.Names[x.i]).ToList(),
        };
    }

    // A run's unknown command is settled (found, or given up): it leaves the unresolved runs, and replaces the last run
    // only if it is that run.
    private static void Settle(TurnContext turn, PatchRun run, PatchRun? settled)
    {
        var memory = turn.State.Patch ?? new PatchMemory();
        var unresolved = (memory.Unresolved ?? []).Where(r => r.Reference != run.Reference).ToList();
        var last = memory.LastRun is null || memory.LastRun.Reference == run.Reference ? settled : memory.LastRun;
        memory = memory with { Choosing = null, LastRun = last, Unresolved = unresolved.Count == 0 ? null : unresolved };
        turn.State.Patch = memory.IsEmpty ? null : memory;
    }
}
