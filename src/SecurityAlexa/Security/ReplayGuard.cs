using SecurityAlexa.Skill;
using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// A mutating request id is acted on once: checked in this container's memory, then claimed in the
/// state table so that a replay reaching another container is refused too. Read-only requests may
/// be answered again; answering twice changes nothing.
/// </summary>
internal sealed class ReplayGuard(SecuritySettings settings, IStateTable? table) : IRequestGuard
{
    private readonly RecentRequests _recent = new();
    private readonly ReplayLedger? _ledger = table is null ? null : new ReplayLedger(table, settings);

    /// <inheritdoc />
    public async ValueTask<Reply?> CheckAsync(TurnContext turn, IRequestHandler handler)
    {
        if (!SecurityPolicy.IsMutating(turn, handler)) return null;
        var id = turn.RequestId;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 512)
        {
            turn.Log.Security("request.no-id", ("intent", turn.IntentName), ("userHash", turn.UserHash));
            return SecurityModule.Refuse(turn, "no-request-id", turn.Lang.Say("security.noRequestId"));
        }
        if (!_recent.TryAdd(id, turn.Now, settings.ClaimFor)) return Replayed(turn, id);
        // Without a store (only in tests that build no ports) memory is all there is; Lambda always has one.
        if (_ledger is null) return null;
        var claim = ClaimAsync(_ledger, turn, id);
        // A confirmed intent's read-back only reads, so the claim runs beside it (one round trip less); the handler
        // settles the claim before its execute step changes anything (isolation: after its reads), and the pipeline before it
        // answers.
        if (handler is ConfirmedIntentHandler)
        {
            turn.DeferredCheck = claim;
            return null;
        }
        return await claim.ConfigureAwait(false);
    }

    private async Task<Reply?> ClaimAsync(ReplayLedger ledger, TurnContext turn, string id)
    {
        try
        {
            var first = await ledger.TryClaimAsync("requests", id, turn.IntentName, turn.Now, turn.Cancellation).ConfigureAwait(false);
            return first ? null : Replayed(turn, id);
        }
        catch (AwsCallException e)
        {
            // As FailClosedGuard would have answered had the claim been awaited in the guard: the check could not run.
            return FailClosedGuard.Refusal(turn, nameof(ReplayGuard), e);
        }
    }

    private static Reply Replayed(TurnContext turn, string id)
    {
        turn.Log.Security("request.replayed", ("requestId", id), ("intent", turn.IntentName), ("speakerHash", turn.SpeakerHash),
            ("userHash", turn.UserHash));
        return SecurityModule.Refuse(turn, "replay", turn.Lang.Say("security.duplicate"));
    }
}
