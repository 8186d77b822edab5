using SecurityAlexa.State;

namespace SecurityAlexa.Tests.Support;

/// <summary>A state table that passes every call to another; tests override the calls they watch, hold or fail.</summary>
internal class DelegatingStateTable(IStateTable inner) : IStateTable
{
    public virtual Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.GetAsync(key, now, cancellationToken);

    public virtual Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.PutAsync(item, condition, now, cancellationToken);

    public virtual Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
        CancellationToken cancellationToken) => inner.UpdateAsync(key, update, condition, now, cancellationToken);

    public virtual Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
        CancellationToken cancellationToken) => inner.ScanAsync(kind, filter, limit, after, now, cancellationToken);

    public virtual Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
}
