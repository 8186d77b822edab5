namespace SecurityAlexa.State;

/// <summary>
/// The state table in memory, for the sandbox and the local runner: the same conditional writes, atomic
/// adds and expiry as the DynamoDB table. One instance shared by several hosts plays the table that every
/// Lambda container sees. Expired items are dropped when met, which DynamoDB's TTL may also do at any time.
/// </summary>
internal sealed class InMemoryStateTable : IStateTable
{
    private readonly Dictionary<string, StateItem> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The items as they are now, expired ones included (for tests and the sandbox's curious).</summary>
    public IReadOnlyList<StateItem> Items
    {
        get { lock (_gate) return [.. _items.Values.OrderBy(i => i.Key, StringComparer.Ordinal)]; }
    }

    /// <inheritdoc />
    public Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(Find(key, now));
    }

    /// <inheritdoc />
    public Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!condition.HoldsFor(Find(item.Key, now), now)) return Task.FromResult(false);
            _items[item.Key] = item with { Attributes = new Dictionary<string, StateValue>(item.Attributes, StringComparer.Ordinal) };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = Find(key, now);
            if (condition is not null && !condition.HoldsFor(current, now)) return Task.FromResult<StateItem?>(null);
            var next = new StateItem(key, update.ApplyTo(current?.Attributes));
            _items[key] = next;
            return Task.FromResult<StateItem?>(next);
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads in key order (DynamoDB's is its hash order: callers rely on neither), with no page bound.</remarks>
    public Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            var found = _items.Values.Where(i => (after is null || string.CompareOrdinal(i.Key, after) > 0) && i.IsLiveAt(now)
                && i.Text(StateItem.KindAttribute) == kind && (filter is null || filter.HoldsFor(i, now)))
                .OrderBy(i => i.Key, StringComparer.Ordinal).Take(limit + 1).ToList();
            // One more than asked tells whether the limit cut the scan short.
            return Task.FromResult(found.Count > limit
                ? new StateScan(found[..limit], found[limit - 1].Key)
                : new StateScan(found, null));
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate) _items.Remove(key);
        return Task.CompletedTask;
    }

    // Caller holds the gate.
    private StateItem? Find(string key, DateTimeOffset now)
    {
        if (!_items.TryGetValue(key, out var item)) return null;
        if (item.IsLiveAt(now)) return item;
        _items.Remove(key);
        return null;
    }
}
