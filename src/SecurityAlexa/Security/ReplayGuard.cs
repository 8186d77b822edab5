using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Security;

/// <summary>
/// Remembers request (or event) ids durably, so that one id is acted on once across every container.
/// Each claim is a PutParameter with Overwrite=false at {prefix}/{scope}/{hash}: Parameter Store creates
/// it atomically or answers ParameterAlreadyExists, and an Expiration policy deletes it a few minutes later.
/// </summary>
internal sealed class ReplayLedger(IParameterStore store, SecuritySettings settings)
{
    /// <summary>The parameter that records an id in a scope ("requests", "events").</summary>
    public string ParameterFor(string scope, string id) =>
        settings.ParameterPrefix + "/" + scope + "/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 16));

    /// <summary>True the first time an id is claimed; false when any container claimed it before.</summary>
    public Task<bool> TryClaimAsync(string scope, string id, string? what, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.Serialize(new RequestRecord { Intent = what, Seen = now }, SecurityJsonContext.Default.RequestRecord);
        return store.TryCreateAsync(ParameterFor(scope, id), record, now + settings.ReplayRecordFor, cancellationToken);
    }

    /// <summary>Gives a claim back, so that a later delivery of the same id is acted on (the first could not finish).</summary>
    public Task ReleaseAsync(string scope, string id, CancellationToken cancellationToken) =>
        store.DeleteAsync(ParameterFor(scope, id), cancellationToken);
}

/// <summary>Request ids this container has seen recently; the cheap first line before Parameter Store.</summary>
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
/// A mutating request id is acted on once: checked in this container's memory, then claimed in
/// Parameter Store so that a replay reaching another container is refused too. Read-only requests may
/// be answered again; answering twice changes nothing.
/// </summary>
internal sealed class ReplayGuard(SecuritySettings settings, IParameterStore? store) : IRequestGuard
{
    private readonly RecentRequests _recent = new();
    private readonly ReplayLedger? _ledger = store is null ? null : new ReplayLedger(store, settings);

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
        var first = _recent.TryAdd(id, turn.Now, settings.ReplayRecordFor);
        // Without a store (only in tests that build no ports) memory is all there is; Lambda always has one.
        if (first && _ledger is not null)
            first = await _ledger.TryClaimAsync("requests", id, turn.IntentName, turn.Now, turn.Cancellation).ConfigureAwait(false);
        if (first) return null;
        turn.Log.Security("request.replayed", ("requestId", id), ("intent", turn.IntentName), ("speakerHash", turn.SpeakerHash), ("userHash", turn.UserHash));
        return SecurityModule.Refuse(turn, "replay", turn.Lang.Say("security.duplicate"));
    }
}
