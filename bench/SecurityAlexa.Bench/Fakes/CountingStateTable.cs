using SecurityAlexa.State;

namespace SecurityAlexa.Bench.Fakes;

/// <summary>The state table in memory, each call counted under its IAM action and optionally delayed, like the other fakes.</summary>
internal sealed class CountingStateTable(CallCounter counter, TimeSpan latency) : IStateTable
{
    private readonly InMemoryStateTable _inner = new();

    /// <summary>The delay of each call (set after seeding, so that setup is instant).</summary>
    public TimeSpan Latency { get; set; } = latency;

    public async Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CallAsync("dynamodb:GetItem", cancellationToken).ConfigureAwait(false);
        return await _inner.GetAsync(key, now, cancellationToken).ConfigureAwait(false);
    }

    // As DynamoStateTable reads many: one BatchGetItem a hundred keys, the batches one after another.
    public async Task<IReadOnlyDictionary<string, StateItem>> GetManyAsync(IReadOnlyCollection<string> keys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StateItem>(StringComparer.Ordinal);
        foreach (var batch in keys.Distinct(StringComparer.Ordinal).Chunk(StateLimits.BatchKeys))
        {
            await CallAsync("dynamodb:BatchGetItem", cancellationToken).ConfigureAwait(false);
            foreach (var key in batch)
            {
                if (await _inner.GetAsync(key, now, cancellationToken).ConfigureAwait(false) is { } item) found[key] = item;
            }
        }
        return found;
    }

    public async Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CallAsync("dynamodb:PutItem", cancellationToken).ConfigureAwait(false);
        return await _inner.PutAsync(item, condition, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CallAsync("dynamodb:UpdateItem", cancellationToken).ConfigureAwait(false);
        return await _inner.UpdateAsync(key, update, condition, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CallAsync("dynamodb:Scan", cancellationToken).ConfigureAwait(false);
        return await _inner.ScanAsync(kind, filter, limit, after, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await CallAsync("dynamodb:DeleteItem", cancellationToken).ConfigureAwait(false);
        await _inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    private async Task CallAsync(string operation, CancellationToken cancellationToken)
    {
        counter.Add(operation);
        var wait = counter.Latency ?? Latency;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
    }
}
