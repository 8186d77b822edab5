namespace SecurityAlexa.Security;

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
