using SecurityAlexa.Notifications;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tickets;

namespace SecurityAlexa.Patching;

/// <summary>
/// PatchIntent: "patch them", "patch the instances tagged environment prod", "patch web-1".
/// Reads back the blast radius, asks "which ones?", reads the choice back once, and sends
/// AWS-RunPatchBaseline only after a yes, only to the instances read back that can still be patched.
/// What was sent is posted to the team's chat channel. The steps are <see cref="PatchChooser"/>,
/// <see cref="PatchReadBack"/> and <see cref="PatchExecution"/>.
/// </summary>
internal sealed class PatchHandler : ConfirmedIntentHandler
{
    /// <summary>The pending-action kind for a patch.</summary>
    public const string Kind = PatchPending.Kind;

    /// <summary>The slot the user says the instance count into when a patch is over the cap.</summary>
    public const string ConfirmCountSlot = "ConfirmCount";

    private readonly PatchChooser _chooser;
    private readonly PatchReadBack _readBack;
    private readonly PatchRecheck _recheck;
    private readonly PatchExecution _execution;

    public PatchHandler(ITargetResolver targets, IPatchManager patches, IVulnerabilityLookup? vulnerabilities, PatchSettings settings,
        PatchReferences references, IChatNotifier? chat = null, IncidentTickets? tickets = null, PatchIsolationCheck? isolation = null)
    {
        // Isolated means isolated by this skill's record; without one (no table) an isolation tag exempts nothing.
        isolation ??= PatchIsolationCheck.NoRecords;
        _readBack = new PatchReadBack(targets, patches, settings, isolation);
        _recheck = new PatchRecheck(targets, patches, isolation);
        _chooser = new PatchChooser(targets, patches, settings, new PatchCandidateFinder(targets, vulnerabilities), _readBack, _recheck,
            new LargeTagChooser(targets, patches, _readBack, isolation), isolation);
        _execution = new PatchExecution(targets, patches, references, _recheck, _readBack, isolation,
            new PatchSender(patches, settings, references), new PatchOutcomeReplies(settings, chat, tickets));
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["PatchIntent"];

    /// <inheritdoc />
    public override IReadOnlyList<string> SlotsRead { get; } =
    [
        PatchCandidateFinder.TagKeySlot, PatchCandidateFinder.TagValueSlot, PatchCandidateFinder.InstanceNameSlot,
        PatchCandidateFinder.ScopeSlot, PatchSelection.SelectionSlot, PatchSelection.ExceptNameSlot, ConfirmCountSlot,
    ];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => Kind;

    /// <summary>No confirmation in play: an open "which ones?" question is answered, or a new request starts.</summary>
    protected override Task<Reply> ReadBackAsync(TurnContext turn) =>
        PatchConversationMemory.OpenChoice(turn) is { } choice
            ? _chooser.ChooseAsync(turn, choice, pending => Declined(turn, pending))
            : _chooser.StartAsync(turn);

    /// <summary>A yes that cannot be trusted: an expired read-back is read again; anything else does nothing.</summary>
    protected override async Task<Reply> ConfirmAgainAsync(TurnContext turn, string reason)
    {
        var pending = turn.State.Pending;
        Confirmation.Clear(turn);
        if (reason == "expired" && pending is { Kind: Kind } && PatchPending.IsTagWide(pending))
            return await _readBack.ForTagAgainAsync(turn, pending, turn.Lang.Say("patch.confirm.again")).ConfigureAwait(false);
        if (reason == "expired" && pending is { Kind: Kind, InstanceIds.Count: > 0 })
        {
            var (_, assessment, groups) = await _recheck.DescribeAndAssessAsync(turn, pending.InstanceIds).ConfigureAwait(false);
            if (assessment.Eligible.Count == 0)
            {
                Observed.Forget(groups);
                return PatchRefusals.NothingEligible(turn, assessment);
            }
            return await _readBack.ForInstancesAsync(turn, assessment, PatchPending.Tag(pending), PatchPending.Description(pending),
                turn.Lang.Say("patch.confirm.again"), groups).ConfigureAwait(false);
        }
        PatchAudit.Write(turn, "patch", "refused-" + reason, pending?.InstanceIds);
        PatchPending.AuditTagSet(turn, pending);
        // The central count-back check (security) reports a wrong or missing number this way.
        if (reason is "count-mismatch" or "count-missing")
            return Reply.Tell(turn.Lang.Say("patch.sayCount.wrong")).Labelled("count-mismatch");
        // "Nothing was waiting" is true only when nothing was; a yes to other slots or another action is a mismatch.
        var said = reason == "nothing-pending" ? "patch.confirm.invalid" : "patch.confirm.mismatch";
        return Reply.Ask(turn.Lang.Say(said), turn.Lang.Say("patch.needTargets.reprompt")).Labelled("confirm-invalid");
    }

    /// <summary>The user said yes to exactly this pending action.</summary>
    protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending) => _execution.ExecuteAsync(turn, pending);

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending)
    {
        var offeredSet = turn.State.Patch?.Choosing?.Offered;
        var offered = offeredSet?.InstanceIds;
        PatchConversationMemory.SetChoice(turn, null);
        PatchAudit.Write(turn, "patch", "declined", pending?.InstanceIds ?? offered);
        if (pending is not null && PatchPending.IsTagWide(pending)) PatchPending.AuditTagSet(turn, pending);
        else if (pending is null && offeredSet is { IdsOmitted: true, TagKey: { } k, TagValue: { } v })
            PatchAudit.TagSet(turn, k, v, offeredSet.Size, offeredSet.Digest);
        return Reply.Ask(turn.Lang.Say("patch.declined"), turn.Lang.Say("reprompt.generic")).Labelled("patch-declined");
    }
}
