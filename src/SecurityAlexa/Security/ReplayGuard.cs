using SecurityAlexa.Skill;
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
        var first = _recent.TryAdd(id, turn.Now, settings.ClaimFor);
        // Without a store (only in tests that build no ports) memory is all there is; Lambda always has one.
        if (first && _ledger is not null)
            first = await _ledger.TryClaimAsync("requests", id, turn.IntentName, turn.Now, turn.Cancellation).ConfigureAwait(false);
        if (first) return null;
        turn.Log.Security("request.replayed", ("requestId", id), ("intent", turn.IntentName), ("speakerHash", turn.SpeakerHash),
            ("userHash", turn.UserHash));
        return SecurityModule.Refuse(turn, "replay", turn.Lang.Say("security.duplicate"));
    }
}
