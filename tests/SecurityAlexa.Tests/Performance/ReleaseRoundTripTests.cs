using SecurityAlexa.Isolation;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// Issue 12 §8: a mutating turn keeps its number of sequential AWS round trips or lowers it. Release after the yes
/// took 8 before the record moved to the table, with the replay claim; issue 18 takes it to 5: the claim, the VPC's groups,
/// the instance and its record are read side by side, and the interfaces' tag mirrors go with the instance's markers. Every EC2 and DynamoDB call is counted with its depth: one more than the deepest call
/// that had answered when it started (as the bench's critical path).
/// </summary>
public sealed class ReleaseRoundTripTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static AlexaRequests Isolate() =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", "incident 42"));

    private static AlexaRequests Release() =>
        AlexaRequests.Intent("ReleaseIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null));

    [Fact]
    public async Task Release_AfterTheYes_TakesNoMoreThanFiveSequentialRoundTripsAndWritesTheRecordBeforeTheFirstChange()
    {
        var net = Ec2Network.Standard();
        var paths = new RoundTrips();
        var table = new CountedTable(new InMemoryStateTable(), paths);
        var driver = new SkillDriver(IsolationServices.Over(net, state: table), time: TimeProvider.System);
        await driver.SayAsync(Isolate());
        await driver.SayAsync(Isolate().Confirmation("CONFIRMED"));
        await driver.SayAsync(Release());
        net.OnCall = async (operation, _) =>
        {
            var depth = paths.Begin("ec2:" + operation);
            await Task.Delay(30);
            paths.End(depth);
        };
        var mark = paths.Calls.Count;
        var firstChange = -1;
        paths.OnBegin = (name, n) => { if (firstChange < 0 && name.StartsWith("ec2:Modify", StringComparison.Ordinal)) firstChange = n; };

        var reply = await driver.SayAsync(Release().Confirmation("CONFIRMED"));

        Assert.StartsWith("Done.", reply.Speech, StringComparison.Ordinal);
        var turn = paths.Calls.Skip(mark).ToList();
        var roundTrips = turn.Max(c => c.Depth) - turn.Min(c => c.Depth) + 1;
        Assert.True(roundTrips <= 5, "release took " + roundTrips + " sequential round trips: "
            + string.Join(", ", turn.Select(c => c.Depth + " " + c.Name)));
        // The record says releasing before any interface moves.
        var claim = paths.Calls.FindIndex(mark, c => c.Name.StartsWith("state:Update isolation#", StringComparison.Ordinal)
            || c.Name.StartsWith("state:Put isolation#", StringComparison.Ordinal));
        Assert.InRange(claim, 0, firstChange - 1);
        Assert.True(paths.Calls[claim].Depth < paths.Calls[firstChange].Depth);
        Assert.Equal(IsolationEntry.Released, (await new IsolationLedger(table).ReadAsync(Db1, DateTimeOffset.UtcNow, CancellationToken.None))!.State);
    }

    /// <summary>Depths of calls: each one more than the deepest call that had answered when it started.</summary>
    internal sealed class RoundTrips
    {
        private readonly Lock _gate = new();
        private int _answered;

        public List<(string Name, int Depth)> Calls { get; } = [];

        public Action<string, int>? OnBegin { get; set; }

        public int Depth { get { lock (_gate) return Calls.Count == 0 ? 0 : Calls.Max(c => c.Depth); } }

        public int Begin(string name)
        {
            lock (_gate)
            {
                var depth = _answered + 1;
                OnBegin?.Invoke(name, Calls.Count);
                Calls.Add((name, depth));
                return depth;
            }
        }

        public void End(int depth)
        {
            lock (_gate) _answered = Math.Max(_answered, depth);
        }
    }

    /// <summary>The state table, each call counted and answering after a short delay.</summary>
    private sealed class CountedTable(IStateTable inner, RoundTrips paths) : IStateTable
    {
        private async Task<T> Counted<T>(string name, Func<Task<T>> call)
        {
            var depth = paths.Begin("state:" + name);
            await Task.Delay(30);
            try { return await call(); }
            finally { paths.End(depth); }
        }

        public Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
            Counted("Get " + key, () => inner.GetAsync(key, now, cancellationToken));

        public Task<bool> PutAsync(StateItem item, StateCondition condition, DateTimeOffset now, CancellationToken cancellationToken) =>
            Counted("Put " + item.Key, () => inner.PutAsync(item, condition, now, cancellationToken));

        public Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
            CancellationToken cancellationToken) =>
            Counted("Update " + key, () => inner.UpdateAsync(key, update, condition, now, cancellationToken));

        public Task<StateScan> ScanAsync(string kind, StateCondition? filter, int limit, string? after, DateTimeOffset now,
            CancellationToken cancellationToken) =>
            Counted("Scan", () => inner.ScanAsync(kind, filter, limit, after, now, cancellationToken));

        public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
            Counted("Delete " + key, async () => { await inner.DeleteAsync(key, cancellationToken); return 0; });
    }
}
