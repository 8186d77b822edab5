using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The instances a turn handed on to the work queue and not yet isolated, as <c>queued#{instanceId}</c> items in the
/// state table, so that "which instances are isolated?" names them in any session, on any device. Written with the
/// enqueue, deleted when the unit is done, and expired after <see cref="Lifetime"/> in case it never is. Losing one
/// only makes the answer less complete: no failure here stops an isolation.
/// </summary>
internal sealed class QueuedIsolations(IStateTable table, TimeProvider time)
{
    /// <summary>The items' <see cref="StateItem.KindAttribute"/>.</summary>
    public const string Kind = "queued-isolation";

    /// <summary>Longer than the queue's three deliveries (6 minutes apart) and the sweeper's next round.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const int MaxListed = 50;

    /// <summary>Notes the instances as continuing in the background; never throws.</summary>
    public async Task AddAsync(IReadOnlyList<(string InstanceId, string Name)> instances, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            await Task.WhenAll(instances.Select(i => table.UpdateAsync(StateKeys.QueuedIsolation(i.InstanceId), new StateUpdate()
                .Set(StateItem.KindAttribute, StateValue.Of(Kind))
                .Set("name", StateValue.Of(i.Name))
                .Set("queuedAt", StateValue.Of(now))
                .Set(StateItem.ExpiryAttribute, StateValue.Of(now + Lifetime)), null, now, ct))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AwsCallException or OperationCanceledException)
        {
            // The session still remembers them for this conversation.
        }
    }

    /// <summary>Forgets an instance whose unit is done; never throws (the item expires anyway).</summary>
    public async Task DoneAsync(string instanceId, CancellationToken ct)
    {
        try
        {
            await table.DeleteAsync(StateKeys.QueuedIsolation(instanceId), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AwsCallException or OperationCanceledException)
        {
            // It expires within the hour, and status leaves out what is isolated already.
        }
    }

    /// <summary>
    /// The instances still noted as continuing, oldest first, and whether there may be more than were read (the scan is
    /// bounded); empty when the table cannot be read.
    /// </summary>
    public async Task<(IReadOnlyList<(string InstanceId, string Name)> Instances, bool More)> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            var scan = await table.ScanAsync(Kind, null, MaxListed, null, now, ct).ConfigureAwait(false);
            return (scan.Items.Where(i => i.IsLiveAt(now) && i.Key.StartsWith(StateKeys.QueuedIsolationPrefix, StringComparison.Ordinal))
                .OrderBy(i => i.Time("queuedAt") ?? now)
                .Select(i => (i.Key[StateKeys.QueuedIsolationPrefix.Length..],
                    i.Text("name") ?? i.Key[StateKeys.QueuedIsolationPrefix.Length..]))
                .ToList(), scan.More);
        }
        catch (Exception e) when (e is AwsCallException or OperationCanceledException)
        {
            return ([], false);
        }
    }
}
