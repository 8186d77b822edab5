namespace SecurityAlexa.State;

/// <summary>
/// The skill's durable state: one table, one string key per item (see docs/state.md). Every write can
/// carry a condition that the table checks atomically with the write, so that two Lambda containers
/// racing on one item cannot both win. An item whose <see cref="StateItem.ExpiresAt"/> has passed reads
/// as absent even before the table's TTL deletes it (DynamoDB deletes expired items lazily).
/// </summary>
internal interface IStateTable
{
    /// <summary>The item (strongly consistent), or null when there is none or it has expired.</summary>
    Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Many items (strongly consistent), by key: the live ones found. The default reads them one by one, a bounded number at
    /// a time; the DynamoDB table reads 100 in a call.
    /// </summary>
    async Task<IReadOnlyDictionary<string, StateItem>> GetManyAsync(IReadOnlyCollection<string> keys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(StateLimits.ParallelReads);
        var reads = keys.Distinct(StringComparer.Ordinal).Select(async key =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await GetAsync(key, now, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return (await Task.WhenAll(reads).ConfigureAwait(false)).OfType<StateItem>().ToDictionary(i => i.Key, StringComparer.Ordinal);
    }

    /// <summary>Writes the whole item if the condition holds; false when it did not (nothing was written).</summary>
    Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the update (creating the item when there is none) if the condition holds, and returns the
    /// item as it is afterwards; null when the condition did not hold (nothing was changed).
    /// </summary>
    Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>
    /// Live items of one <see cref="StateItem.KindAttribute"/> for which the filter holds (a Scan, so only for the sweeper's
    /// and status's few rows), at most <paramref name="limit"/> of them, starting after <paramref name="after"/> (a
    /// <see cref="StateScan.Continuation"/>; null for the start of the table). The read is bounded: when it stops
    /// before the end of the table the result says so, and where to go on.
    /// </summary>
    Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Deletes the item; a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
