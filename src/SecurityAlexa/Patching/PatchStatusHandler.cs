using SecurityAlexa.Patching.Screens;
using SecurityAlexa.Security;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.Patching;

/// <summary>
/// PatchStatusIntent: "how is the patching going?". Reads the latest run of this skill (from the
/// session, otherwise from the state table, otherwise found by its comment with ListCommands), counts the
/// invocations, and after the run has finished reads the patch compliance it left behind.
/// </summary>
internal sealed class PatchStatusHandler(IPatchManager patches, ITargetResolver targets, PatchSettings settings,
    PatchReferences references) : IntentHandler
{
    // How many recent patch commands are looked through for this skill's comment.
    private const int CommandsScanned = 50;

    private static readonly HashSet<string> Running = new(StringComparer.Ordinal) { "Pending", "InProgress", "Delayed", "Cancelling" };
    private static readonly HashSet<string> Succeeded = new(StringComparer.Ordinal) { "Success" };

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["PatchStatusIntent"];

    /// <inheritdoc />
    public override async Task<Reply> HandleAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var run = turn.State.Patch?.LastRun;
        // READ_ACCESS=speakers: a voice that may not change anything hears how many, never which instances.
        var named = ReadAccessCheck.MayHearNames(turn);
        Spoken? unknown = null;
        if (run is { OutcomeUnknown: true } unresolved)
        {
            (run, unknown) = await ResolveUnknownAsync(turn, unresolved, named).ConfigureAwait(false);
            if (run is null || run.CommandIds.Count == 0) return Answer(turn, unknown!).Labelled("patch-outcome-unknown");
        }
        var commands = run is not null
            ? await CommandsOfRunAsync(run, turn.Cancellation).ConfigureAwait(false)
            : await LatestRunAsync(turn).ConfigureAwait(false);
        if (commands.Count == 0)
        {
            return run is null
                ? Reply.Tell(lang.Say("patch.status.none")).Labelled("no-patch-run")
                : Reply.Tell(lang.Say("patch.status.gone")).Labelled("patch-run-gone");
        }

        // A run too large to list instance by instance is told from the commands' own counts: one call per command.
        if (run?.Targets.IdsOmitted == true || commands.Sum(c => c.TargetCount) > settings.CheckEachMax)
            return Counted(turn, run, commands);

        var invocations = new List<PatchInvocation>();
        var notStarted = 0;
        foreach (var command in commands)
        {
            var list = await patches.ListInvocationsAsync(command.CommandId, turn.Cancellation).ConfigureAwait(false);
            invocations.AddRange(list);
            // A tag-targeted command creates its invocations as it goes; the rest are still to come.
            notStarted += Math.Max(0, command.TargetCount - list.Count);
        }

        var succeeded = invocations.Where(i => Succeeded.Contains(i.Status)).ToList();
        var failed = invocations.Where(i => !Succeeded.Contains(i.Status) && !Running.Contains(i.Status)).ToList();
        var inProgress = invocations.Count(i => Running.Contains(i.Status)) + notStarted;
        var finished = inProgress == 0 && commands.All(c => !Running.Contains(c.Status));

        var ids = invocations.Select(i => i.InstanceId).Distinct(StringComparer.Ordinal).ToList();
        var names = await NamesAsync(run, ids, turn.Cancellation).ConfigureAwait(false);
        string Name(string id) => names.TryGetValue(id, out var n) ? n : id;

        var total = Math.Max(ids.Count + notStarted, commands.Sum(c => c.TargetCount));
        var started = commands.Min(c => c.RequestedAt) ?? run?.SentAt ?? turn.Now;
        var counts = new List<string>();
        if (succeeded.Count > 0) counts.Add(lang.Text("patch.count.succeeded", ("count", succeeded.Count)));
        if (inProgress > 0) counts.Add(lang.Text("patch.count.inProgress", ("count", inProgress)));
        if (failed.Count > 0) counts.Add(lang.Text("patch.count.failed", ("count", failed.Count)));
        if (counts.Count == 0) counts.Add(lang.Text("patch.count.inProgress", ("count", 0)));

        var head = lang.Say(finished ? "patch.status.finished" : "patch.status.running",
            ("what", PatchSpeech.What(lang, total)), ("ago", lang.Ago(started, turn.Now)), ("counts", lang.List(counts)));
        var failedSpeech = failed.Count > 0
            ? lang.Say("patch.status.failedOn", ("names", Who(lang, named, failed.Select(f => Name(f.InstanceId)).ToList()))) : null;

        var card = new List<string>
        {
            lang.Text("patch.card.commands", ("ids", string.Join(", ", commands.Select(c => c.CommandId)))),
        };
        card.AddRange(invocations.Select(i => lang.Text("patch.card.instanceStatus", ("name", Name(i.InstanceId)), ("id", i.InstanceId),
            ("status", i.StatusDetails is { Length: > 0 } d && d != i.Status ? $"{i.Status} ({d})" : i.Status))));

        Spoken? compliance = null;
        if (finished && ids.Count > 0)
        {
            var states = await patches.DescribePatchStatesAsync(ids, turn.Cancellation).ConfigureAwait(false);
            compliance = Compliance(lang, states, Name, named);
            if (named) card.AddRange(states.Select(s => lang.Text("patch.card.compliance", ("name", Name(s.InstanceId)),
                ("missing", s.Missing), ("failed", s.Failed),
                ("pendingReboot", s.InstalledPendingReboot), ("critical", s.CriticalNonCompliant), ("security", s.SecurityNonCompliant))));
        }

        turn.Log.Info("patch.status", ("requestId", turn.RequestId), ("commandIds", commands.Select(c => c.CommandId).ToList()),
            ("succeeded", succeeded.Count), ("inProgress", inProgress), ("failed", failed.Count), ("finished", finished));
        if (!named)
        {
            // Counts only: no instance on the card or the screen either.
            var counted = Spoken.Join(head, failedSpeech, compliance, unknown, lang.Say("patch.status.namesWithheld"));
            return Answer(turn, counted).WithCard(lang.Text("patch.card.title"), counted.Text)
                .Labelled(finished ? "patch-finished-counts" : "patch-running-counts");
        }
        return Screen.Show(turn, Answer(turn, Spoken.Join(head, failedSpeech, compliance, unknown)), PatchScreens.Status,
            () => PatchScreens.StatusData(lang, PatchSpeech.What(lang, total),
                lang.Ago(started, turn.Now), invocations, notStarted, i => Succeeded.Contains(i.Status), i => Running.Contains(i.Status),
                    Name, Spoken.Join(head, failedSpeech, compliance).Text))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled(finished ? "patch-finished" : "patch-running");
    }

    // TargetCount, CompletedCount, ErrorCount and DeliveryTimedOutCount: what SSM reports for a command as a whole.
    private Reply Counted(TurnContext turn, PatchRun? run, IReadOnlyList<PatchCommand> commands)
    {
        var lang = turn.Lang;
        var targetCount = commands.Sum(c => c.TargetCount);
        var failed = commands.Sum(c => c.ErrorCount);
        var notReached = commands.Sum(c => c.DeliveryTimedOutCount);
        var completed = commands.Sum(c => Math.Max(0, c.CompletedCount - c.ErrorCount - c.DeliveryTimedOutCount));
        var inProgress = commands.Sum(c => Math.Max(0, c.TargetCount - c.CompletedCount));
        var finished = inProgress == 0 && commands.All(c => !Running.Contains(c.Status));
        var total = targetCount > 0 ? targetCount : run?.Targets.Size ?? 0;
        var counts = new List<string>();
        if (completed > 0) counts.Add(lang.Text("patch.count.completed", ("count", completed)));
        if (inProgress > 0) counts.Add(lang.Text("patch.count.inProgress", ("count", inProgress)));
        if (failed > 0) counts.Add(lang.Text("patch.count.failed", ("count", failed)));
        if (notReached > 0) counts.Add(lang.Text("patch.count.notReached", ("count", notReached)));
        if (counts.Count == 0) counts.Add(lang.Text("patch.count.inProgress", ("count", 0)));
        var started = commands.Min(c => c.RequestedAt) ?? run?.SentAt ?? turn.Now;
        var head = lang.Say("patch.status.large", ("what", PatchSpeech.What(lang, total, run?.Targets.Description)),
            ("ago", lang.Ago(started, turn.Now)),
            ("state", lang.Text(finished ? "patch.status.large.finished" : "patch.status.large.running")), ("counts", lang.List(counts)));
        var card = new List<string> { lang.Text("patch.card.commands", ("ids", string.Join(", ", commands.Select(c => c.CommandId)))) };
        card.AddRange(commands.Select(c => lang.Text("patch.card.counts", ("target", c.TargetCount), ("completed", c.CompletedCount),
            ("errors", c.ErrorCount), ("timedOut", c.DeliveryTimedOutCount))));
        turn.Log.Info("patch.status", ("requestId", turn.RequestId), ("commandIds", commands.Select(c => c.CommandId).ToList()),
            ("completed", completed), ("inProgress", inProgress), ("failed", failed), ("notReached", notReached), ("finished", finished));
        var compliance = finished ? lang.Say("patch.status.large.compliance", ("limit", lang.Count(settings.CheckEachMax, "instance")))
            : null;
        return Screen.Show(turn, Answer(turn, Spoken.Join(head, compliance)), PatchScreens.Status, () => PatchScreens.CountedData(lang,
                PatchSpeech.What(lang, total, run?.Targets.Description), lang.Ago(started, turn.Now), completed, inProgress, failed,
                    notReached, Spoken.Join(head, compliance).Text))
            .WithCard(lang.Text("patch.card.title"), string.Join("\n", card))
            .Labelled(finished ? "patch-finished" : "patch-running");
    }

    // Asked in the middle of a conversation, the answer keeps listening; a one-shot question ends with it.
    private static Reply Answer(TurnContext turn, Spoken speech) => turn.Envelope.Session is { New: false }
        ? Reply.Ask(Spoken.Join(speech, turn.Lang.Say("patch.status.anythingElse")), turn.Lang.Say("patch.status.anythingElse"))
        : Reply.Tell(speech);

    /// <summary>
    /// One sentence per kind of remaining problem, naming the instances (or, when <paramref name="named"/> is false, counting
    /// them); or "all compliant".
    /// </summary>
    public static Spoken Compliance(Lang lang, IReadOnlyList<InstancePatchState> states, Func<string, string> name, bool named = true)
    {
        if (states.Count == 0) return lang.Say("patch.compliance.unknown");
        Spoken? Line(string key, Func<InstancePatchState, bool> pick)
        {
            var hit = states.Where(pick).Select(s => name(s.InstanceId)).ToList();
            return hit.Count == 0 ? null : lang.Say(key, ("names", Who(lang, named, hit)));
        }
        var lines = new[]
        {
            Line("patch.compliance.failed", s => s.Failed > 0),
            Line("patch.compliance.missing", s => s.Missing > 0),
            Line("patch.compliance.pendingReboot", s => s.InstalledPendingReboot > 0),
            Line("patch.compliance.critical", s => s.CriticalNonCompliant > 0 || s.SecurityNonCompliant > 0),
        };
        return lines.All(l => l is null) ? lang.Say(states.Count == 1 ? "patch.compliance.clean.one" : "patch.compliance.clean.other")
            : Spoken.Join(lines);
    }

    // A command whose SendCommand outcome was unknown is looked for by its comment: found, it joins the run; missing
    // for a few minutes, it was most likely never sent; missing before that, the answer says it can't tell yet.
    private async Task<(PatchRun? Run, Spoken? Unknown)> ResolveUnknownAsync(TurnContext turn, PatchRun run, bool named)
    {
        var lang = turn.Lang;
        var names = Who(lang, named, PatchSendOutcome.UnknownNames(run).ToList());
        var ago = lang.Ago(run.SentAt, turn.Now);
        var lookup = await PatchSendOutcome.LookUpAsync(turn, patches, references, run).ConfigureAwait(false);
        turn.Log.Info("patch.status.unknown", ("requestId", turn.RequestId), ("ref", run.Reference),
            ("lookup", lookup.Outcome.ToString()));
        if (lookup.Command is { } found) return (PatchSendOutcome.Resolved(turn, run, found.CommandId), null);
        if (lookup.Outcome == LookupOutcome.NotFound && turn.Now - run.SentAt >= PatchSendOutcome.NotSentAfter)
            return (PatchSendOutcome.GivenUp(turn, run), lang.Say("patch.status.unknown.notSent", ("ago", ago), ("names", names)));
        return (run, lang.Say("patch.status.unknown.notYet", ("ago", ago), ("names", names)));
    }

    // The instances by name, or (for a voice that may not hear names) only how many.
    private static string Who(Lang lang, bool named, IReadOnlyList<string> names) =>
        named ? PatchSpeech.Names(lang, names) : lang.Count(names.Count, "instance");

    private async Task<IReadOnlyList<PatchCommand>> CommandsOfRunAsync(PatchRun run, CancellationToken cancellationToken)
    {
        var commands = new List<PatchCommand>();
        foreach (var id in run.CommandIds)
        {
            if (await patches.GetCommandAsync(id, cancellationToken).ConfigureAwait(false) is { } command) commands.Add(command);
        }
        return commands;
    }

    // Without a session, the state table names the latest run's commands; failing that, the skill's own commands are
    // recognised by their comment, and the newest reference wins.
    private async Task<IReadOnlyList<PatchCommand>> LatestRunAsync(TurnContext turn)
    {
        var recorded = await references.LatestAsync(turn, turn.Now - settings.StatusLookback).ConfigureAwait(false);
        if (recorded.Count > 0)
        {
            var known = await CommandsOfRunAsync(new PatchRun { CommandIds = [.. recorded] }, turn.Cancellation).ConfigureAwait(false);
            if (known.Count > 0) return known;
        }
        var recent = await patches.ListRecentPatchCommandsAsync(turn.Now - settings.StatusLookback, CommandsScanned, turn.Cancellation)
            .ConfigureAwait(false);
        var ours = recent.Select(c => (Command: c, Ref: PatchComment.ReferenceOf(c.Comment))).Where(c => c.Ref is not null).ToList();
        if (ours.Count == 0) return [];
        var latest = ours.OrderByDescending(c => c.Command.RequestedAt ?? DateTimeOffset.MinValue).First().Ref;
        return ours.Where(c => c.Ref == latest).Select(c => c.Command).ToList();
    }

    private async Task<Dictionary<string, string>> NamesAsync(PatchRun? run, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (run is not null)
        {
            for (var i = 0; i < run.Targets.InstanceIds.Count
                && i < run.Targets.Names.Count; i++) names[run.Targets.InstanceIds[i]] = run.Targets.Names[i];
        }
        var unknown = ids.Where(id => !names.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var instance in await targets.DescribeAsync(unknown, cancellationToken)
                .ConfigureAwait(false)) names[instance.Id] = instance.DisplayName;
        }
        return names;
    }
}
