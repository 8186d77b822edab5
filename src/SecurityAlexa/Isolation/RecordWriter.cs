using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Isolation;

/// <summary>
/// Writes one isolation's record as it goes, one write at a time, each at the version the last one left: so the
/// interfaces of one instance, moving in parallel, never overwrite each other's marks, and a writer that another has
/// overtaken (a release, the sweeper) stops writing instead of undoing what that one wrote.
/// </summary>
internal sealed class RecordWriter(IsolationLedger ledger, IsolationEntry written, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The record as last written.</summary>
    public IsolationEntry Current { get; private set; } = written;

    /// <summary>True once another writer has changed the record: nothing more is written.</summary>
    public bool Overtaken { get; private set; }

    /// <summary>The first failure of the table itself, if any.</summary>
    public AwsCallException? Error { get; private set; }

    /// <summary>Applies the change at the current version; never throws for the table (see <see cref="Error"/>).</summary>
    public async Task ChangeAsync(Func<IsolationEntry, IsolationEntry> change)
    {
        // Not cancelled with the turn: a record that lags behind the network is what the sweeper would trip over.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (Overtaken) return;
            var next = await ledger.WriteAsync(change(Current), Current.Version, time.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
            if (next is null) Overtaken = true;
            else Current = next;
        }
        catch (AwsCallException e)
        {
            Error ??= e;
        }
        finally
        {
            _gate.Release();
        }
    }
}
