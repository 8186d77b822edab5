using SecurityAlexa.Isolation.Screens;
using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Screens;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Isolation;

/// <summary>"Release web-1", "un-isolate it": read back, and on a yes restore exactly what the record says.</summary>
internal sealed class ReleaseHandler(ITargetResolver targets, InstanceIsolator isolator, IChatNotifier? chat,
    IncidentTickets? tickets = null)
    : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind.</summary>
    public const string Kind = "release";

    // The pending action's note of which instances the read-back said would be restored from their tags.
    private const string FromTagsArg = "fromTags";

    // The pending action's note of the VPCs read back (space-separated), so that their groups are read alongside after the yes.
    private const string VpcsArg = "vpcs";

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["ReleaseIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } = [TargetSpeech.InstanceNameSlot, TargetSpeech.TagKeySlot,
        TargetSpeech.TagValueSlot];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <inheritdoc />
    /// <remarks>The records, the instances and their VPCs' groups are read beside the replay claim (issue 18).</remarks>
    protected override bool SettlesClaimBeforeChanging => true;

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        Reply.Ask(Spoken.Join(turn.Lang.Say("release.denied"), turn.Lang.Say("isolate.anythingElse")),
            turn.Lang.Say("isolate.anythingElse")).Labelled("denied");

    /// <inheritdoc />
    protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        Confirmation.Clear(turn);
        return ReleaseAsync(turn, pending);
    }

    /// <inheritdoc />
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var resolved = await IsolationTargets.ResolveAsync(turn, targets, "release.which").ConfigureAwait(false);
        if (resolved.Reply is { } ask) return ask;
        var instances = resolved.Instances!;
        IsolationTargets.Focus(turn, instances, resolved.Selection);

        // The table's record is the truth. An instance with only the tag marker (an older version, or a table restored from a
        // backup) is restored from its tags, and the read-back says so before the yes.
        var records = await isolator.RecordsAsync(instances.Select(i => i.Id).ToList(), turn.Cancellation).ConfigureAwait(false);
        var unreadable = records.Values.Select(r => r.Error).FirstOrDefault(e => e is not null);
        if (unreadable is not null)
            return Reply.Ask(Spoken.Join(ErrorSpeech.ForAws(turn.Lang, unreadable), turn.Lang.Say("isolate.anythingElse")),
                turn.Lang.Say("isolate.anythingElse")).Labelled("record-unreadable");
        bool InTable(InstanceInfo i) => records.GetValueOrDefault(i.Id).Entry is not null;
        var withRecord = instances.Where(i => InTable(i) || i.Tags.ContainsKey(SkillTags.IsolatedAt)).ToList();
        var without = instances.Where(i => !InTable(i) && !i.Tags.ContainsKey(SkillTags.IsolatedAt)).ToList();
        var fromTags = withRecord.Where(i => !InTable(i)).ToList();
        if (withRecord.Count == 0)
        {
            var said = without.Count == 1
                ? turn.Lang.Say("release.noRecord.one", ("name", without[0].DisplayName))
                : turn.Lang.Say("release.noRecord.many", ("names", turn.Lang.ListSome(without.Select(i => i.DisplayName).ToList(), 5)));
            return Reply.Ask(Spoken.Join(said, turn.Lang.Say("isolate.anythingElse")), turn.Lang.Say("isolate.anythingElse"))
                .Labelled("no-record");
        }

        var pending = new PendingAction { Kind = Kind, Intent = "ReleaseIntent", InstanceIds = withRecord.Select(i => i.Id).ToList() };
        if (fromTags.Count > 0) pending.Args[FromTagsArg] = string.Join(' ', fromTags.Select(i => i.Id));
        if (withRecord.Select(i => i.VpcId).Where(v => v is not null).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } vpcs)
            pending.Args[VpcsArg] = string.Join(' ', vpcs);
        var readBack = IsolationSpeech.ReadBackRelease(turn.Lang, withRecord, without, fromTags);
        var what = withRecord.Count == 1 ? withRecord[0].DisplayName : turn.Lang.Count(withRecord.Count, "isolate.instance");
        return ReadBackScreen.Show(turn,
            Confirmation.Ask(turn, pending, readBack, turn.Lang.Say("release.readBack.reprompt", ("what", what)),
            turn.Lang.Say("release.readBack.question")),
            withRecord.Select(i => new ScreenRow(i.Id, i.DisplayName)));
    }

    private async Task<Reply> ReleaseAsync(TurnContext turn, PendingAction pending)
    {
        var lang = turn.Lang;
        var fromTags = pending.Args.GetValueOrDefault(FromTagsArg)?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var request = new ReleaseRequest(IsolationSpeech.RequestedBy(turn), turn.Now, fromTags,
            pending.Args.GetValueOrDefault(VpcsArg)?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            turn.ClaimWonAsync);
        var report = await isolator.ReleaseAsync(pending.InstanceIds, request, turn.Cancellation).ConfigureAwait(false);
        // A replay: nothing was changed, and the claim's refusal is the answer.
        if (await turn.SettleDeferredAsync().ConfigureAwait(false) is { } refusal) return refusal;
        turn.Log.Info("release.result", ("requestId", turn.RequestId), ("by", request.RequestedBy), ("instances", pending.InstanceIds),
            ("outcomes", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)));

        turn.Audit.Note("release.outcomes", string.Join(" ", report.Instances.Select(i => i.InstanceId + "=" + i.Outcome)));
        var speech = IsolationSpeech.Released(lang, report);
        var ticket = await IncidentTickets.RecordAsync(tickets, turn, IsolationTickets.Released(lang, report, turn.RequestId,
            IsolationSpeech.HowByVoice(lang, request.RequestedBy))).ConfigureAwait(false);
        var chatSpeech = await IsolationChat.PostAsync(turn, chat, ticket.AppendTo(
            IsolationSpeech.ReleaseChat(lang, report, IsolationSpeech.HowByVoice(lang, request.RequestedBy)), lang)).ConfigureAwait(false);
        var outcome = report.Instances.All(i => i.Outcome == ReleaseOutcome.Released) ? "released"
            : report.Instances.All(i => i.Outcome == ReleaseOutcome.NoRecord) ? "no-record" : "released-partly";
        return Screen.Show(turn,
            Reply.Ask(Spoken.Join(speech, ticket.Speech(lang), chatSpeech, lang.Say("isolate.anythingElse")),
                lang.Say("isolate.anythingElse")),
            IsolationScreens.Document,
                () => IsolationScreens.ReleasedData(lang, report, IsolationSpeech.HowByVoice(lang, request.RequestedBy), request.At,
                    speech.Text))
            .WithCard(lang.Text("release.card.title"), ticket.AppendTo(IsolationSpeech.ReleaseCard(lang, report), lang) ?? "")
            .Labelled(outcome);
    }
}
