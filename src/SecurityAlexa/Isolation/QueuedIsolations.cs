using SecurityAlexa.AwsContract;
using SecurityAlexa.State;

namespace SecurityAlexa.Isolation;

/// <summary>
/// The instances a turn handed on to the work queue and not yet isolated, as <c>queued#…</c> items in the
/// state table, so that "which instances are isolated?" names them in any session, on any device. Written with the
/// enqueue, deleted when the unit is done, and expired after <see cref="Lifetime"/> in case it never is. Losing one
/// only makes the answer less complete: no failure here stops an isolation. Given a <paramref name="scope"/>, items are
/// keyed by and carry its account and region, and only that scope's are listed.
/// </summary>
internal sealed class QueuedIsolations(IStateTable table, TimeProvider time, IsolationScope? scope = null)
{
    /// <summary>The items' <see cref="StateItem.KindAttribute"/>.</summary>
    public const string Kind = "queued-isolation";

    /// <summary>Longer than the queue's three deliveries (6 minutes apart) and the sweeper's next round.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const int MaxListed = 50;
    private const string InstanceAttribute = "instanceId";
    private const string AccountAttribute = "account";
    private const string RegionAttribute = "region";

    /// <summary>Notes the instances as continuing in the background; never throws.</summary>
    public async Task AddAsync(IReadOnlyList<(string InstanceId, string Name)> instances, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            await Task.WhenAll(instances.Select(i =>
            {
                var update = new StateUpdate()
                    .Set(StateItem.KindAttribute, StateValue.Of(Kind))
                    .Set(InstanceAttribute, StateValue.Of(i.InstanceId))
                    .Set("name", StateValue.Of(i.Name))
                    .Set("queuedAt", StateValue.Of(now))
                    .Set(StateItem.ExpiryAttribute, StateValue.Of(now + Lifetime));
                if (scope is not null)
                    update.Set(AccountAttribute, StateValue.Of(scope.AccountId)).Set(RegionAttribute, StateValue.Of(scope.Region));
                return table.UpdateAsync(KeyOf(i.InstanceId), update, null, now, ct);
            })).ConfigureAwait(false);
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
            await table.DeleteAsync(KeyOf(instanceId), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AwsCallException or OperationCanceledException)
        {
            // It expires within the hour, and status leaves out what is isolated already.
        }
    }

    /// <summary>
    /// The instances still noted as continuing in this scope, oldest first, and whether there may be more than were read
    /// (the scan is bounded); <see cref="QueuedListing.Unknown"/> when the table cannot be read, never throws.
    /// </summary>
    public async Task<QueuedListing> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            var scan = await table.ScanAsync(Kind, null, MaxListed, null, now, ct).ConfigureAwait(false);
            return new(scan.Items
                .Where(i => i.IsLiveAt(now) && i.Key.StartsWith(StateKeys.QueuedIsolationPrefix, StringComparison.Ordinal) && Mine(i))
                .OrderBy(i => i.Time("queuedAt") ?? now)
                // Items written before they carried the id have it as the rest of their key.
                .Select(i => (Item: i, Id: i.Text(InstanceAttribute) ?? i.Key[StateKeys.QueuedIsolationPrefix.Length..]))
                .Select(x => (x.Id, x.Item.Text("name") ?? x.Id))
                .ToList(), scan.More, false);
        }
        catch (Exception e) when (e is AwsCallException or OperationCanceledException)
        {
            // Said as unknown: "nothing in progress" would be a guess.
            return new([], false, true);
        }
    }

    private string KeyOf(string instanceId) =>
        scope is null ? StateKeys.QueuedIsolation(instanceId) : StateKeys.QueuedIsolation(instanceId, scope.AccountId, scope.Region);

    // Without a scope (one account and region) every item is this isolator's, as before; with one, only its own account and region's.
    private bool Mine(StateItem item) => scope is null
        || (item.Text(AccountAttribute) == scope.AccountId && item.Text(RegionAttribute) == scope.Region);
}

/// <summary>
/// What <see cref="QueuedIsolations.ListAsync"/> read: the instances, whether the bounded scan stopped before the end
/// (<paramref name="More"/>), and whether the table could not be read at all (<paramref name="Unknown"/>).
/// </summary>
internal sealed record QueuedListing(IReadOnlyList<(string InstanceId, string Name)> Instances, bool More, bool Unknown);
