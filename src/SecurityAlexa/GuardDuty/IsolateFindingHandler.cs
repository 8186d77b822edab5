using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.Targets;

namespace SecurityAlexa.GuardDuty;

/// <summary>
/// IsolateFindingIntent: "isolate the instance from that finding", "isolate the instance GuardDuty flagged". The instance
/// is the one of the finding just read aloud, described again from EC2; from there it is the ordinary isolation path
/// (<see cref="IsolateHandler"/>'s read-back, yes, caps, record and chat), with the finding's type and id as the reason.
/// </summary>
internal sealed class IsolateFindingHandler(ITargetResolver targets, IsolateHandler isolation) : ConfirmedIntentHandler
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Intents { get; } = ["IsolateFindingIntent"];

    /// <inheritdoc />
    protected override string PendingKind(TurnContext turn) => IsolateHandler.Kind;

    /// <inheritdoc />
    protected override async Task<Reply> ReadBackAsync(TurnContext turn)
    {
        var lang = turn.Lang;
        var anythingElse = lang.Say("guardduty.anythingElse");
        if (turn.State.GuardDuty is not { InstanceId: { } instanceId, FindingId: { } findingId } memory)
            return Reply.Ask(lang.Say("guardduty.isolate.noFinding"), lang.Say("guardduty.isolate.noFinding.reprompt"))
                .Labelled("no-finding");
        // Read in another account or region: its instance is not here (nor is one of the same id), so nothing is looked up here.
        if (RememberedScope.Elsewhere(turn, memory.ScopeKey, memory.ScopeAccount, "guardduty.isolate.elsewhere") is { } elsewhere)
            return Reply.Ask(Spoken.Join(elsewhere, anythingElse), anythingElse).Labelled("finding-elsewhere");
        var found = await targets.DescribeAsync([instanceId], turn.Cancellation).ConfigureAwait(false);
        if (found.Count == 0)
            return Reply.Ask(Spoken.Join(lang.Say("guardduty.isolate.gone", ("id", Spoken.Characters(End(instanceId)))), anythingElse),
                anythingElse).Labelled("finding-instance-gone");
        return await isolation.ReadBackAsync(turn, found, null, ReasonOf(memory.FindingType, findingId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task<Reply> ExecuteAsync(TurnContext turn, PendingAction pending)
    {
        Confirmation.Clear(turn);
        return isolation.IsolateAsync(turn, pending);
    }

    /// <inheritdoc />
    protected override Reply Declined(TurnContext turn, PendingAction? pending) =>
        Reply.Ask(Spoken.Join(turn.Lang.Say("isolate.denied"), turn.Lang.Say("isolate.anythingElse")),
            turn.Lang.Say("isolate.anythingElse")).Labelled("denied");

    /// <summary>The isolation reason recorded for a finding: "GuardDuty", its type and its id.</summary>
    public static string ReasonOf(string? type, string findingId) => "GuardDuty " + (type ?? "finding") + " " + findingId;

    private static string End(string id) => id.Length <= 4 ? id : id[^4..];
}
