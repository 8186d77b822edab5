using SecurityAlexa.Isolation.Containment;
using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>
/// "Isolate web-1", "quarantine the instances tagged incident 42": resolve, read back, and only on a
/// yes isolate exactly the instances read back.
/// </summary>
internal sealed class IsolateHandler(ITargetResolver targets, InstanceIsolator isolator, IChatNotifier? chat,
    IncidentTickets? tickets = null)
    : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind.</summary>
    public const string Kind = "isolate";

    private const string ReasonArg = "reason";

    // The pending action's note of the VPCs read back (space-separated).
    private const string VpcsArg = "vpcs";

    // The pending action's note of the round trips the read-back's containment plan needs, for the estimate after the yes.
    private const string ContainmentCallsArg = "containmentCalls";

    // Containment's plan is read for at most this many instances (the read-back names five), and for at most this long.
    private const int PlannedInstances = 5;
    private static readonly TimeSpan PlanLimit = TimeSpan.FromMilliseconds(1500);

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["IsolateIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
        [TargetSpeech.InstanceNameSlot, TargetSpeech.TagKeySlot, TargetSpeech.TagValueSlot, IsolationTargets.ReasonSlot];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <inheritdoc />
    /// <remarks>The isolator reads the instances and their records beside the claim (issue 18: one round trip less).</remarks>
    protected override bool SettlesClaimBeforeChanging => true;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        Reply.Ask(Spoken.Join(turn.Lang.Say("isolate.denied"), turn.Lang.Say("isolate.anythingElse")),
            turn.Lang.Say("isolate.anythingElse")).Labelled("denied");

    /// <inheritdoc />
    protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        Confirmation.Clear(turn);
        return IsolateAsync(turn, pending);
    }

    /// <inheritdoc />
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var resolved = await IsolationTargets.ResolveAsync(turn, targets, "isolate.which").ConfigureAwait(false);
        if (resolved.Reply is { } ask) return ask;
        return await ReadBackAsync(turn, resolved.Instances!, resolved.Selection, turn.Slot(IsolationTargets.ReasonSlot).Value)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The read-back of isolating instances already resolved, with the reason to record; other capabilities (a GuardDuty
    /// finding's instance) enter the ordinary isolation path here and confirm through <see cref="IsolateAsync"/>.
    /// </summary>
    internal async Task<Reply> ReadBackAsync(TurnContext turn, IReadOnlyList<InstanceInfo> instances, TargetSelection? selection,
        string? reason)
    {
        IsolationTargets.Focus(turn, instances, selection);

        // The marker is written before anything moves, so a marked instance may be only partly isolated
        // (an interface failed): that one is read back again, so that "isolate web-1" can finish the job.
        var marked = instances.Where(i => i.Tags.ContainsKey(SkillTags.IsolatedAt)).Select(i => i.Id).ToList();
        var whole = marked.Count == 0 ? new HashSet<string>() : await isolator.FullyIsolatedAsync(marked, turn.Cancellation)
            .ConfigureAwait(false);
        var already = instances.Where(i => whole.Contains(i.Id)).ToList();
        // Tagged SecurityAlexa:Protected: never changed, so never offered for a yes (voice, or a GuardDuty finding's instance).
        var refused = instances.Where(i => !whole.Contains(i.Id) && i.Tags.ContainsKey(SkillTags.Protected)).ToList();
        var todo = instances.Where(i => !whole.Contains(i.Id) && !i.Tags.ContainsKey(SkillTags.Protected)).ToList();
        var refusal = refused.Count == 0 ? null : IsolationSpeech.ProtectedRefused(turn.Lang, refused.Select(i => i.DisplayName).ToList());
        if (todo.Count == 0 && refused.Count > 0)
        {
            turn.Audit.Note("isolate.refusedProtected", string.Join(" ", refused.Select(i => i.Id)));
            return Reply.Ask(Spoken.Join(refusal, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse"))
                .Labelled("refused-protected");
        }
        if (todo.Count == 0)
        {
            var said = already.Count == 1
                ? turn.Lang.Say("isolate.alreadyAll.one", ("name", already[0].DisplayName), ("ago", AgoOf(turn, already[0])))
                : turn.Lang.Say("isolate.alreadyAll.many", ("count", turn.Lang.Count(already.Count, "isolate.instance")));
            return Reply.Ask(Spoken.Join(said, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse"))
                .Labelled("already-isolated");
        }

        var pending = new PendingAction
        {
            Kind = Kind,
            Intent = "IsolateIntent",
            InstanceIds = todo.Select(i => i.Id).ToList(),
            Args = reason is null ? [] : new Dictionary<string, string> { [ReasonArg] = IsolationRecord.CleanRecordValue(reason) },
        };
        // The VPCs seen now, so that after the yes their groups are read alongside the instances.
        if (todo.Select(i => i.VpcId).Where(v => v is not null).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } vpcs)
            pending.Args[VpcsArg] = string.Join(' ', vpcs);
        var plans = await PlanAsync(turn, todo).ConfigureAwait(false);
        if (plans.Count > 0)
            pending.Args[ContainmentCallsArg] = plans.Max(p => p.RoundTrips).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var readBack = Spoken.Join(refusal, IsolationSpeech.ReadBackIsolate(turn.Lang, todo, already),
            ContainmentSpeech.ReadBack(turn.Lang, todo.Zip(plans, (i, p) => (i.DisplayName, p)).ToList()));
        var what = todo.Count == 1 ? todo[0].DisplayName : turn.Lang.Count(todo.Count, "isolate.instance");
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, turn.Lang.Say("isolate.readBack.reprompt", ("what", what)),
            turn.Lang.Say("isolate.readBack.question")),
            todo.Select(i => new ScreenRow(i.Id, i.DisplayName)));
    }

    // What containment will change, read only; beyond a few instances, or with little time left, each step is said "where it applies".
    private async Task<IReadOnlyList<ContainmentPlan>> PlanAsync(TurnContext turn, IReadOnlyList<InstanceInfo> todo)
    {
        var left = TurnBudget.Left(turn) - TurnBudget.ToStartAChange;
        var limit = left < PlanLimit ? left : PlanLimit;
        if (todo.Count > PlannedInstances || limit <= TimeSpan.Zero)
            return todo.Select(i => isolator.UnknownContainment(i.Id)).OfType<ContainmentPlan>().ToList();
        return await isolator.PlanContainmentAsync(todo.Select(i => (i.Id, i.VpcId)).ToList(), limit, turn.Cancellation)
            .ConfigureAwait(false);
    }

    /// <summary>Isolates exactly the confirmed pending action's instances, recording its reason, and reports.</summary>
    internal async Task<Reply> IsolateAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        var given = pending.Args.GetValueOrDefault(ReasonArg) ?? "";
        // The record keeps an empty reason, so that status can leave the "because" out; card and chat say none was given.
        var reason = given.Length > 0 ? given : lang.Text("isolate.noReason");
        var request = new IsolationRequest(IsolationSpeech.RequestedBy(turn), given, turn.Now,
            VpcHint: pending.Args.GetValueOrDefault(VpcsArg)?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            ContainmentRoundTrips: int.TryParse(pending.Args.GetValueOrDefault(ContainmentCallsArg), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var calls) ? calls : null,
            MayChange: turn.ClaimWonAsync);
        var finishBy = TurnBudget.FinishBy(turn, isolator.Options.Reserve);

        // Only the ids read back and confirmed; the slots of this turn are not looked at again.
        var report = await isolator.IsolateAsync(pending.InstanceIds, request, new IsolationBudget(finishBy, turn.Time), turn.Cancellation)
            .ConfigureAwait(false);
        // A replay: nothing was changed, and the claim's refusal is the answer.
        if (await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal) return refusal;
        turn.Log.Info("isolate.result", ("requestId", turn.RequestId), ("by", request.RequestedBy), ("instances", pending.InstanceIds),
            ("outcomes", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)), ("continuing", report.Continuing));

        // The exact reason (a GuardDuty finding's type and id, say): the tags can only hold an escaped form.
        if (given.Length > 0) turn.Audit.Note("isolation.reason", given);
        turn.Audit.Note("isolation.outcomes", string.Join(" ", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)));
        if (report.Instances.SelectMany(i => i.SnapshotIds).ToList() is { Count: > 0 } snapshots) turn.Audit.Note("isolation.snapshots",
            string.Join(" ", snapshots));
        if (report.Continuing) turn.Audit.Note("isolation.continuing", "work queue");
        var speech = IsolationSpeech.Isolated(lang, report, turn.Now);
        var chatText = IsolationSpeech.IsolationChat(lang, report, IsolationSpeech.HowByVoice(lang, request.RequestedBy), reason,
            isolator.Options);
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, IsolationTickets.Isolated(lang, report, turn.RequestId,
            IsolationSpeech.HowByVoice(lang, request.RequestedBy), reason)).ConfigureAwait(false);
        var chatSpeech = await IsolationChat.PostAsync(turn, chat, ticket.AppendTo(chatText, lang)).ConfigureAwait(false);

        if (report.Continuing)
        {
            // Remembered for "which instances are isolated?", which names them until they are done.
            var queued = report.HandedOn;
            turn.State.Isolation = (turn.State.Isolation ?? new IsolationMemory()) with
            {
                QueuedIds = [.. queued.Select(q => q.InstanceId)],
                QueuedNames = [.. queued.Select(q => q.DisplayName)],
            };
        }

        var reachable = report.Instances.Where(i => i.Subject is not null && i.Outcome != IsolationOutcome.Terminated).ToList();
        if (reachable.Count > 0)
            turn.State.Focus = new TargetMemory { Description = "", InstanceIds = reachable.Select(i => i.InstanceId).ToList(),
                Names = reachable.Select(i => i.DisplayName).ToList() };

        var outcome = report.Instances.All(i => i.Outcome is IsolationOutcome.Isolated or IsolationOutcome.AlreadyIsolated) ? "isolated"
            : "isolated-partly";
        return Screen.Show(turn,
            Reply.Ask(Spoken.Join(speech, ticket.Speech(lang), chatSpeech, lang.Say("isolate.anythingElse")),
                lang.Say("isolate.anythingElse")),
            IsolationScreens.Document,
                () => IsolationScreens.IsolatedData(lang, report, IsolationSpeech.HowByVoice(lang, request.RequestedBy), request.At,
                    reason, speech.Text))
            .WithCard(lang.Text("isolate.card.title"),
                ticket.AppendTo(IsolationSpeech.IsolationCard(lang, report, reason, isolator.Options), lang) ?? "")
            .Labelled(outcome);
    }

    private static string AgoOf(TurnContext turn, InstanceInfo instance) =>
        IsolationRecord.ReadTime(instance.Tags, SkillTags.IsolatedAt) is { } at ? turn.Lang.Ago(at, turn.Now)
            : turn.Lang.Template("time.justNow");
}
