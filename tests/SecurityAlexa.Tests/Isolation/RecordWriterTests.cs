using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Isolation;
using SecurityAlexa.State;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// The record's writer: one write at a time, at the version the last one left; the changes that arrive while a write is in
/// flight go out together in the next (the review of issue 18: an instance with ten interfaces made ten writes in a row).
/// </summary>
public sealed class RecordWriterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ChangesArrivingDuringAWrite_GoOutTogetherInTheNext_InTheOrderTheyArrived()
    {
        var table = new HeldTable(new InMemoryStateTable());
        var ledger = new IsolationLedger(table);
        var begun = await ledger.BeginAsync(Entry(), _time.GetUtcNow(), CancellationToken.None);
        var writer = new RecordWriter(ledger, begun!, _time);
        table.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var updatesBefore = table.Updates;

        var first = writer.ChangeAsync(e => Mark(e, "eni-0"));
        var rest = Enumerable.Range(1, 9).Select(i => writer.ChangeAsync(e => Mark(e, "eni-" + i))).ToList();
        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        table.Hold.SetResult();
        await Task.WhenAll([first, .. rest]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, table.Updates - updatesBefore);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "eni-" + i), writer.Current.Interfaces.Select(i => i.Id));
        var stored = await ledger.ReadAsync("i-0a1b2c3d4e5f60001", _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(10, stored!.Interfaces.Count);
        Assert.Equal(writer.Current.Version, stored.Version);
    }

    [Fact]
    public async Task AChangeThatThrows_IsSeenByItsCaller_AndTheWriterGoesOn()
    {
        var ledger = new IsolationLedger(new InMemoryStateTable());
        var writer = new RecordWriter(ledger, (await ledger.BeginAsync(Entry(), _time.GetUtcNow(), CancellationToken.None))!, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.ChangeAsync(_ => throw new InvalidOperationException("test")));
        await writer.ChangeAsync(e => Mark(e, "eni-0")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["eni-0"], writer.Current.Interfaces.Select(i => i.Id));
    }

    private IsolationEntry Entry() => new("i-0a1b2c3d4e5f60001", IsolationEntry.Isolating, 0, [], false, "speaker:abc", _time.GetUtcNow(),
        "test", [], _time.GetUtcNow());

    private static IsolationEntry Mark(IsolationEntry e, string eni) =>
        e with { Interfaces = [.. e.Interfaces, new RecordedInterface { Id = eni, Groups = ["sg-0web00000000000a1"] }] };

    /// <summary>Counts updates, and holds the next one back until <see cref="Hold"/> completes.</summary>
    private sealed class HeldTable(IStateTable inner) : SecurityAlexa.Tests.Support.DelegatingStateTable(inner)
    {
        private int _updates;
        private int _held;

        public TaskCompletionSource? Hold { get; set; }

        public int Updates => Volatile.Read(ref _updates);

        public override async Task<StateItem?> UpdateAsync(string key, StateUpdate update, StateCondition? condition, DateTimeOffset now,
            CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _updates);
            if (Hold is { } hold && Interlocked.Exchange(ref _held, 1) == 0) await hold.Task;
            return await base.UpdateAsync(key, update, condition, now, cancellationToken);
        }
    }
}
