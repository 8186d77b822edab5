using SecurityAlexa.Skill;
using SecurityAlexa.State;

namespace SecurityAlexa.Security;

/// <summary>
/// Remembers request (or event) ids durably, so that one id is acted on once across every container: a
/// conditional put of claim#{scope}#{hash} in the state table that only succeeds when there is no live
/// claim. The claim expires a little after the id could still be accepted (see SecuritySettings.ClaimFor).
/// </summary>
internal sealed class ReplayLedger(IStateTable table, SecuritySettings settings)
{
    /// <summary>The state table key that records an id in a scope ("requests", "events").</summary>
    public static string KeyFor(string scope, string id) => StateKeys.Claim(scope, id);

    /// <summary>True the first time an id is claimed; false when any container holds a live claim on it.</summary>
    public Task<bool> TryClaimAsync(string scope, string id, string? what, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, StateValue>(StringComparer.Ordinal)
        {
            [StateItem.KindAttribute] = StateValue.Of("claim"),
            ["scope"] = StateValue.Of(scope),
            ["seen"] = StateValue.Of(now),
            [StateItem.ExpiryAttribute] = StateValue.Of(now + settings.ClaimFor),
        };
        if (what is not null) attributes["what"] = StateValue.Of(what);
        return table.PutAsync(new StateItem(KeyFor(scope, id), attributes), StateCondition.Absent, now, cancellationToken);
    }

    /// <summary>Gives a claim back, so that a later delivery of the same id is acted on (the first could not finish).</summary>
    public Task ReleaseAsync(string scope, string id, CancellationToken cancellationToken) =>
        table.DeleteAsync(KeyFor(scope, id), cancellationToken);
}

/// <summary>Request ids this container has seen recently; the cheap first line before the state table.</summary>
internal sealed class RecentRequests(int capacity = 4096)
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True the first time an id is seen within <paramref name="keep"/>.</summary>
    public bool TryAdd(string id, DateTimeOffset now, TimeSpan keep)
    {
        lock (_gate)
        {
            while (_order.Count > 0 && _order.Peek().At + keep < now) Forget();
            if (_seen.ContainsKey(id)) return false;
            while (_order.Count >= capacity) Forget();
            _seen[id] = now;
            _order.Enqueue((id, now));
            return true;
        }
    }

    private void Forget()
    {
        var (old, at) = _order.Dequeue();
        if (_seen.TryGetValue(old, out var seenAt) && seenAt == at) _seen.Remove(old);
    }
}

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
        turn.Log.Security("request.replayed", ("requestId", id), ("intent", turn.IntentName), ("speakerHash", turn.SpeakerHash), ("userHash", turn.UserHash));
        return SecurityModule.Refuse(turn, "replay", turn.Lang.Say("security.duplicate"));
    }
}
