using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Bootstrap;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// The work queue's semantics end to end: SQS batches through the real entry points, a partial batch failure, a
/// unit delivered twice, and a poison message ending in the dead-letter queue after the redrive count (with the
/// in-memory queue, which has SQS's semantics).
/// </summary>
public sealed class WorkQueueSemanticsTests
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static string Unit(string instanceId) =>
        WorkEnvelope.BodyOf(IsolateInstanceWork.For(instanceId, new IsolationRequest("speaker:abc123", "port scan", DateTimeOffset.UnixEpoch)));

    [Fact]
    public async Task Batch_WithGoodAndBadMessages_DoesTheGoodOneAndReportsExactlyTheBadOnes()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var batch = SqsEvents.Batch([
            ("good", Unit(Db1)),
            ("not-json", "{ this is not json"),
            ("unknown-kind", SqsEvents.Envelope("format-disk", "{}")),
            ("forged-id", SqsEvents.Envelope("isolate-instance", "{\"instanceId\":\"i-0a1b2c3d4e5f64f2a; rm -rf /\"}")),
            ("no-kind", "{\"payload\":\"{}\"}"),
        ]);

        var failures = SqsEvents.Failures(await driver.SendRawAsync(batch));

        Assert.Equal(["not-json", "unknown-kind", "forged-id", "no-kind"], failures);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
        Assert.Contains(driver.LogsOf("work.rejected"), r => (string?)r["why"] == "malformed JSON");
        Assert.Contains(driver.LogsOf("work.rejected"), r => (string?)r["why"] == "unknown kind");
        Assert.Contains(driver.LogsOf("isolate.work.rejected"), r => (string?)r["why"] == "invalid instance id");
        Assert.Contains(driver.LogsOf("work.rejected"), r => (string?)r["why"] == "no kind or payload");
    }

    [Fact]
    public async Task Unit_DeliveredAgainAfterItWasDone_ChangesNothingAndIsDone()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        var first = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Unit(Db1), "m-1")));
        var changes = net.MutatingCalls.Count;
        var recorded = new Dictionary<string, string>(net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags);

        var second = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Unit(Db1), "m-1")));

        Assert.Empty(first);
        Assert.Empty(second);
        Assert.True(changes > 0);
        Assert.Equal(changes, net.MutatingCalls.Count);
        Assert.Equal(recorded, net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Tags);
    }

    [Fact]
    public async Task Unit_WhenAwsFails_IsReportedForRedeliveryAndTheRedeliveryFinishesIt()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));
        net.Fail("DescribeInstances", "RequestLimitExceeded", times: 1);

        var failed = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Unit(Db1))));
        var again = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.One(Unit(Db1))));

        Assert.Equal(["m-1"], failed);
        Assert.Empty(again);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
    }

    [Fact]
    public async Task Batch_FromAnotherQueue_IsReportedWholeAndTouchesNothing()
    {
        var net = Ec2Network.Standard();
        var driver = new SkillDriver(IsolationServices.Over(net));

        var failures = SqsEvents.Failures(await driver.SendRawAsync(
            SqsEvents.One(Unit(Db1), queueArn: "arn:aws:sqs:us-east-1:999988887777:SecurityAlexa-WorkQueue")));

        Assert.Equal(["m-1"], failures);
        Assert.Empty(net.Calls);
        Assert.Contains(driver.LogsOf("work.rejected"), r => (string?)r["why"] == "not from the work queue");
    }

    [Fact]
    public async Task PoisonMessage_IsDeliveredThreeTimesThenEndsInTheDeadLetterQueue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero));
        var account = SandboxAccount.CreateDefault(time);
        var driver = new SkillDriver(account.Services(), time: account.Clock);
        account.Queue.Send("{ this is not json");
        var deliveries = new List<int>();

        for (var round = 0; round < 5; round++)
        {
            deliveries.Add(await account.Queue.DeliverAsync((body, ct) => driver.Host.Dispatcher.InvokeAsync(body, new InvocationInfo(), ct),
                CancellationToken.None));
            // Invisible until the visibility timeout passes; then SQS delivers it again.
            time.Advance(account.Queue.VisibilityTimeout + TimeSpan.FromSeconds(1));
        }

        Assert.Equal([1, 1, 1, 0, 0], deliveries);
        Assert.Equal(["{ this is not json"], account.Queue.DeadLetters);
        Assert.Equal(0, account.Queue.Count);
        Assert.Equal(["1", "2", "3"], driver.LogsOf("work.rejected").Select(r => (string?)r["receiveCount"]));
    }

    [Fact]
    public async Task InMemoryQueue_WhenTheFunctionAnswersWithSomethingElse_FailsTheWholeBatchAsLambdaDoes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var queue = new InMemoryWorkQueue(time);
        await queue.EnqueueAsync([new WorkItem("a", "{}"), new WorkItem("b", "{}")], CancellationToken.None);

        var delivered = await queue.DeliverAsync((_, _) => Task.FromResult("{\"status\":\"rejected\"}"u8.ToArray()), CancellationToken.None);

        Assert.Equal(2, delivered);
        Assert.Equal(2, queue.Count);
        Assert.Null(queue.Receive());
        time.Advance(queue.VisibilityTimeout);
        Assert.Equal(2, queue.Receive()!.Records!.Count);
    }

    [Fact]
    public async Task RuntimeLoop_WithAnSqsBatchAndAScheduledEvent_AnswersEachInItsOwnShape()
    {
        await using var api = FakeRuntimeApi.Start();
        var net = Ec2Network.Standard();
        var start = DateTimeOffset.UtcNow;
        var batch = api.Enqueue("req-sqs", SqsEvents.Batch([("good", Unit(Db1)), ("bad", "[]")]), start + TimeSpan.FromSeconds(7));
        var schedule = api.Enqueue("req-schedule", SqsEvents.Scheduled(), start + TimeSpan.FromSeconds(7));
        var foreign = api.Enqueue("req-foreign", SqsEvents.Scheduled("999988887777"), start + TimeSpan.FromSeconds(7));
        var driver = new SkillDriver(IsolationServices.Over(net));

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => driver.Host, CancellationToken.None,
            maxInvocations: 3).WaitAsync(Hang);

        Assert.Equal(0, exit);
        Assert.Equal(["bad"], SqsEvents.Failures((await batch.WaitAsync(Hang)).Body));
        Assert.Equal("ran", (string?)JsonNode.Parse((await schedule.WaitAsync(Hang)).Body)!["status"]);
        Assert.Equal("rejected", (string?)JsonNode.Parse((await foreign.WaitAsync(Hang)).Body)!["status"]);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
    }

    [Fact]
    public async Task ManagedFunction_WithAScheduledEvent_RunsEveryJobAndAFailingJobDoesNotStopTheOthers()
    {
        var ran = new List<string>();
        var jobs = new IScheduledJob[] { new Job("first", ran, fail: true), new Job("second", ran, fail: false) };
        var log = new MemoryLogSink();
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string>());
        var runner = new ScheduleRunner(jobs, WorkQueueAddress.From(SqsEvents.QueueUrl), config, new SkillLog(log, TimeProvider.System),
            TimeProvider.System);

        var result = await runner.RunAsync(System.Text.Json.JsonDocument.Parse(SqsEvents.Scheduled()).RootElement, null,
            CancellationToken.None);

        Assert.Equal(["first", "second"], ran);
        Assert.Equal("failed", result.Status);
        Assert.Equal("first=failed, second=done", result.Detail);
        Assert.Contains(log.Lines, l => l.Contains("schedule.job-failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManagedFunction_WithAScheduledEvent_AnswersThroughHandleAsync()
    {
        var driver = new SkillDriver(IsolationServices.Over(Ec2Network.Standard()));

        var result = JsonNode.Parse(await driver.SendRawAsync(SqsEvents.Scheduled()))!;

        Assert.Equal("ran", (string?)result["status"]);
    }

    private sealed class Job(string name, List<string> ran, bool fail) : IScheduledJob
    {
        public string Name => name;

        public Task<EventResult> RunAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            ran.Add(name);
            return fail ? throw new InvalidOperationException("boom") : Task.FromResult(new EventResult("done"));
        }
    }
}
