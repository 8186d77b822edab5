using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Writes one isolation's record as it goes, one write at a time, each at the version the last one left: so the
/// interfaces of one instance, moving in parallel, never overwrite each other's marks, and a writer that another has
/// overtaken (a release, the sweeper) stops writing instead of undoing what that one wrote. Changes that arrive while a
/// write is in flight go out together in the next one, in the order they arrived, so an instance with many interfaces
/// costs two sequential writes, not one per interface.
/// </summary>
internal sealed class RecordWriter(IsolationLedger ledger, IsolationEntry written, TimeProvider time)
{
    private readonly Lock _gate = new();
    private List<(Func<IsolationEntry, IsolationEntry> Change, TaskCompletionSource Done)> _queued = [];
    private bool _writing;

    /// <summary>The record as last written.</summary>
    public IsolationEntry Current { get; private set; } = written;

    /// <summary>True once another writer has changed the record: nothing more is written.</summary>
    public bool Overtaken { get; private set; }

    /// <summary>The first failure of the table itself, if any.</summary>
    public AwsCallException? Error { get; private set; }

    /// <summary>
    /// Applies the change at the current version, alone or with the others queued behind a write in flight; completes once it
    /// is written, or given up (see <see cref="Overtaken"/> and <see cref="Error"/>). Never throws for the table.
    /// </summary>
    public Task ChangeAsync(Func<IsolationEntry, IsolationEntry> change)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _queued.Add((change, done));
            start = !_writing;
            _writing = true;
        }
        if (start) _ = DrainAsync();
        return done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<(Func<IsolationEntry, IsolationEntry> Change, TaskCompletionSource Done)> batch;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _writing = false;
                    return;
                }
                batch = _queued;
                _queued = [];
            }
            try
            {
                await WriteAsync(batch.Select(b => b.Change)).ConfigureAwait(false);
                foreach (var (_, done) in batch) done.TrySetResult();
            }
            catch (Exception e)
            {
                // Not the table's (a change that threw): its callers see it, as they would have without the batching.
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(IEnumerable<Func<IsolationEntry, IsolationEntry>> changes)
    {
        if (Overtaken) return;
        try
        {
            var next = changes.Aggregate(Current, (entry, change) => change(entry));
            // Not cancelled with the turn: a record that lags behind the network is what the sweeper would trip over.
            var written = await ledger.WriteAsync(next, Current.Version, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            if (written is null) Overtaken = true;
            else Current = written;
        }
        catch (AwsCallException e)
        {
            Error ??= e;
        }
    }
}
