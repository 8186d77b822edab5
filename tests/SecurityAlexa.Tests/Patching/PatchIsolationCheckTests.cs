using SecurityAlexa.Isolation;
using SecurityAlexa.Patching;
using SecurityAlexa.State;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// The isolation records of instances checked one by one: every one read; over a table that reads one item a call (the
/// default of <see cref="IStateTable.GetManyAsync"/>), a bounded number at a time. DynamoDB reads 100 a call.
/// </summary>
public sealed class PatchIsolationCheckTests
{
    [Fact]
    public async Task ReadIdsAsync_For200Instances_ReadsEveryRecord_AtMost20AtATime_AndFindsTheIsolatedOne()
    {
        var inner = new InMemoryStateTable();
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200).Select(i => "i-0a1b2c3d4e5f6" + i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var entry = new IsolationEntry(ids[137], IsolationEntry.Isolated, 0, [], null, "a test", now, "a test", [], now);
        Assert.NotNull(await new IsolationLedger(inner).BeginAsync(entry, now, CancellationToken.None));
        var table = new ConcurrencyTable(inner);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);

        var marks = await new PatchIsolationCheck(new IsolationLedger(table), time).ReadIdsAsync(ids, CancellationToken.None);

        Assert.Equal(200, table.Reads);
        Assert.InRange(table.MostAtOnce, 2, StateLimits.ParallelReads);
        Assert.Equal([ids[137]], marks.Recorded);
    }

    /// <summary>Counts reads, and the most in flight at once (each one yields before it answers).</summary>
    private sealed class ConcurrencyTable(IStateTable inner) : SecurityAlexa.Tests.Support.DelegatingStateTable(inner)
    {
        private int _inFlight;
        private int _most;
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public int MostAtOnce => Volatile.Read(ref _most);

        public override async Task<StateItem?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var inFlight = Interlocked.Increment(ref _inFlight);
            int most;
            while ((most = Volatile.Read(ref _most)) < inFlight && Interlocked.CompareExchange(ref _most, inFlight, most) != most)
            {
            }
            await Task.Delay(5, cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            return await base.GetAsync(key, now, cancellationToken);
        }
    }
}
