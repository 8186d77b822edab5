using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// SQS counts every receive toward maxReceiveCount, tried or not: a unit left unstarted because the ones before it were
/// slow would reach the dead-letter queue without ever being tried. A batch of the configured size (the template's
/// BatchSize, which TemplateTests holds the sandbox queue to) gives every unit at least its worst case, whatever the
/// others take, and still answers within the invocation.
/// </summary>
public sealed class BatchShareTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FunctionTimeout = new InMemoryWorkQueue(TimeProvider.System).FunctionTimeout;
    private static readonly int BatchSize = new InMemoryWorkQueue(TimeProvider.System).BatchSize;

    /// <summary>A unit that takes the sandbox clock forward by what <paramref name="takes"/> says, given its deadline.</summary>
    private sealed class TimedHandler(FakeTimeProvider time, Func<DateTimeOffset, TimeSpan> takes, WorkOutcome outcome) : IWorkHandler
    {
        public List<(DateTimeOffset Started, DateTimeOffset Deadline)> Units { get; } = [];

        public string Kind => "timed";

        public Task<WorkOutcome> HandleAsync(WorkItem item, DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            Units.Add((time.GetUtcNow(), deadline));
            time.Advance(takes(deadline));
            return Task.FromResult(outcome);
        }
    }

    private static async Task<(List<string> Failures, MemoryLogSink Log, TimeSpan Took)> ConsumeAsync(FakeTimeProvider time,
        IWorkHandler handler)
    {
        var sink = new MemoryLogSink();
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string>
        {
            ["FUNCTION_TIMEOUT_SECONDS"] = ((int)FunctionTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, requireSkillId: false);
        var consumer = new WorkConsumer([handler], WorkQueueAddress.From(SqsEvents.QueueUrl), config, new SkillLog(sink, time), time);
        var batch = SqsEvents.Batch(Enumerable.Range(0, BatchSize).Select(i => ("m-" + i, SqsEvents.Envelope("timed", "{}"))));
        using var document = JsonDocument.Parse(batch);
        var arrived = time.GetUtcNow();

        var response = await consumer.ConsumeAsync(document.RootElement, arrived + FunctionTimeout, CancellationToken.None);

        return (response.BatchItemFailures.Select(f => f.ItemIdentifier!).ToList(), sink, time.GetUtcNow() - arrived);
    }

    [Fact]
    public async Task Batch_OfTheConfiguredSize_WithEveryUnitAtItsWorstCase_FinishesEveryUnitWithinTheInvocation()
    {
        var time = new FakeTimeProvider(Start);
        var handler = new TimedHandler(time, _ => WorkConsumer.UnitWorstCase, WorkOutcome.Done);

        var (failures, log, took) = await ConsumeAsync(time, handler);

        Assert.Equal(BatchSize, handler.Units.Count);
        Assert.Empty(failures);
        Assert.All(handler.Units, u => Assert.True(u.Deadline - u.Started >= WorkConsumer.UnitWorstCase, $"{u.Deadline - u.Started}"));
        Assert.InRange(took, TimeSpan.Zero, FunctionTimeout - BackgroundDeadline.Margin);
        Assert.DoesNotContain(log.Lines, l => l.Contains("work.not-started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_WhoseUnitsEachUseAllTheyAreGiven_StartsEveryUnit_AndAnswersBeforeLambdaStopsIt()
    {
        var time = new FakeTimeProvider(Start);
        // Each unit runs to its deadline and on until it is cancelled: no unit ever finishes early.
        var handler = new TimedHandler(time, deadline => deadline - time.GetUtcNow() + WorkConsumer.Overrun, WorkOutcome.Retry);

        var (failures, log, took) = await ConsumeAsync(time, handler);

        // Every unit was tried (a real try, worth its receive), none reported untried.
        Assert.Equal(BatchSize, handler.Units.Count);
        Assert.Equal(BatchSize, failures.Count);
        Assert.All(handler.Units, u => Assert.True(u.Deadline - u.Started >= WorkConsumer.UnitWorstCase, $"{u.Deadline - u.Started}"));
        Assert.DoesNotContain(log.Lines, l => l.Contains("work.not-started", StringComparison.Ordinal));
        Assert.InRange(took, TimeSpan.Zero, FunctionTimeout - BackgroundDeadline.Margin + WorkConsumer.Overrun);
    }

    [Fact]
    public async Task Unit_AfterOthersThatFinishedEarly_HasTheTimeTheyLeft()
    {
        var time = new FakeTimeProvider(Start);
        var handler = new TimedHandler(time, _ => TimeSpan.FromSeconds(1), WorkOutcome.Done);

        await ConsumeAsync(time, handler);

        // The last unit has the invocation's whole deadline, less what the others took.
        var last = handler.Units[^1];
        Assert.Equal(Start + FunctionTimeout - BackgroundDeadline.Margin, last.Deadline);
        Assert.Equal(BatchSize - 1, (last.Started - Start).TotalSeconds);
    }
}
