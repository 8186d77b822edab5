using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Bootstrap;
using SecurityAlexa.Isolation;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// A queued batch runs on the Lambda invocation's deadline, not an Alexa turn's budget: five slow units finish in one
/// invocation when the deadline allows, and a unit that does not fit is reported and delivered again, never lost.
/// Both entry points pass the deadline: the runtime loop from the Runtime API, the managed function from
/// FUNCTION_TIMEOUT_SECONDS. An Alexa turn keeps its own budget however long the invocation may run.
/// </summary>
public sealed class BatchDeadlineTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    // Five instances of the sandbox's prod VPC.
    private static readonly string[] Five =
        ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f64f2a", "i-0c3d4e5f6a7b80004", "i-0c3d4e5f6a7b80005"];

    private static string Unit(string instanceId) =>
        WorkEnvelope.BodyOf(IsolateInstanceWork.For(instanceId, new IsolationRequest("speaker:abc123", "port scan", Start)));

    private static (SkillDriver Driver, SandboxAccount Account) Sandbox(TimeSpan latency, TimeProvider? real = null,
        Dictionary<string, string>? environment = null)
    {
        var account = SandboxAccount.CreateDefault(real ?? new FakeTimeProvider(Start));
        account.Latency = latency;
        var driver = new SkillDriver(account.Services(), time: account.Clock,
            environment: new Dictionary<string, string>(environment ?? [], StringComparer.Ordinal) { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" });
        return (driver, account);
    }

    private static bool Isolated(SandboxAccount account, string id) => account.World.Find(id)!.Tags.ContainsKey(SkillTags.IsolatedAt);

    [Fact]
    public async Task Batch_OfFiveSlowUnits_AllFinishInOneInvocationWhenTheLambdaDeadlineAllows()
    {
        // 400 ms of sandbox time a call: each unit takes several seconds, the five together far more than a turn's 7 s.
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400));
        foreach (var id in Five) account.Queue.Send(Unit(id));
        var before = account.Clock.GetUtcNow();

        var delivered = await account.Queue.DeliverToAsync(driver.Host.Dispatcher, CancellationToken.None);

        var took = account.Clock.GetUtcNow() - before;
        Assert.Equal(5, delivered);
        Assert.Equal(0, account.Queue.Count);
        Assert.Empty(account.Queue.DeadLetters);
        Assert.All(Five, id => Assert.True(Isolated(account, id), id + " is isolated"));
        Assert.InRange(took, TimeSpan.FromSeconds(8), account.Queue.FunctionTimeout - BackgroundDeadline.Margin);
        Assert.Equal(5, driver.LogsOf("work.done").Count);
        Assert.Empty(driver.LogsOf("work.not-started"));
    }

    [Fact]
    public async Task Units_BeyondWhatTheInvocationFits_AreReportedAndTheRedeliveryFinishesThemNoneLost()
    {
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400));
        // An invocation of 20 s fits some of these units, not all five (a batch larger than the templates' BatchSize).
        var queue = new InMemoryWorkQueue(account.Clock) { FunctionTimeout = TimeSpan.FromSeconds(20), BatchSize = 5 };
        foreach (var id in Five) queue.Send(Unit(id));

        var first = await queue.DeliverToAsync(driver.Host.Dispatcher, CancellationToken.None);
        var doneFirst = Five.Count(id => Isolated(account, id));
        var left = queue.Count;
        account.Clock.Advance(queue.VisibilityTimeout);
        await queue.DeliverToAsync(driver.Host.Dispatcher, CancellationToken.None);

        Assert.Equal(5, first);
        Assert.InRange(doneFirst, 1, 4);
        Assert.Equal(5 - doneFirst, left);
        Assert.Equal(0, queue.Count);
        Assert.Empty(queue.DeadLetters);
        Assert.All(Five, id => Assert.True(Isolated(account, id), id + " is isolated"));
    }

    [Fact]
    public async Task Unit_ThatTrulyDoesNotFitTheInvocation_IsReportedRetriedAndEndsInTheDeadLetterQueueHalfDoneNowhere()
    {
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400));
        // 9 s (7 s once the margin is kept back) is less than one of these units needs.
        var queue = new InMemoryWorkQueue(account.Clock) { FunctionTimeout = TimeSpan.FromSeconds(9) };
        queue.Send(Unit(Five[0]));
        var deliveries = new List<int>();

        for (var round = 0; round < 4; round++)
        {
            deliveries.Add(await queue.DeliverToAsync(driver.Host.Dispatcher, CancellationToken.None));
            account.Clock.Advance(queue.VisibilityTimeout);
        }

        // Reported each time (never deleted unfinished), delivered three times, then kept in the DLQ for a person.
        Assert.Equal([1, 1, 1, 0], deliveries);
        Assert.Equal(["1", "2", "3"], driver.LogsOf("work.retry").Concat(driver.LogsOf("work.not-started"))
            .Select(r => (string?)r["receiveCount"]).Order());
        Assert.Equal([Unit(Five[0])], queue.DeadLetters);
        Assert.False(Isolated(account, Five[0]));
        // Nothing was left between the two moves: no interface sits in the allow-all group.
        var allowAll = account.World.Find(Five[0])!.Interfaces.SelectMany(i => i.Groups)
            .Where(g => account.World.SecurityGroups.Any(s => s.Id == g && s.Tags.GetValueOrDefault(SkillTags.GroupRole) == IsolationRecord.AllowAllRole));
        Assert.Empty(allowAll);
    }

    [Fact]
    public async Task ManagedFunction_WithItsConfiguredTimeout_GivesABatchTheInvocationsTime()
    {
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400),
            environment: new() { ["FUNCTION_TIMEOUT_SECONDS"] = "60" });

        // Through Function.HandleAsync, as the managed runtime calls it.
        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.Batch(Five.Select((id, n) => ("m-" + n, Unit(id))))));

        Assert.Empty(failures);
        Assert.All(Five, id => Assert.True(Isolated(account, id), id + " is isolated"));
    }

    [Fact]
    public async Task ManagedFunction_WithoutAConfiguredTimeout_KeepsTheTurnsBudgetAndReportsWhatItDidNotStart()
    {
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400));

        var failures = SqsEvents.Failures(await driver.SendRawAsync(SqsEvents.Batch(Five.Select((id, n) => ("m-" + n, Unit(id))))));

        // Nothing is lost: every unit not finished is named for redelivery.
        Assert.NotEmpty(failures);
        Assert.Equal(Five.Length, failures.Count + Five.Count(id => Isolated(account, id)));
    }

    [Fact]
    public async Task RuntimeLoop_PassesTheRuntimeApisDeadlineToTheBatch()
    {
        await using var api = FakeRuntimeApi.Start();
        // Real time under the sandbox clock: the Runtime API's deadline is a real moment.
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400), TimeProvider.System);
        var batch = api.Enqueue("req-sqs", SqsEvents.Batch(Five.Select((id, n) => ("m-" + n, Unit(id)))),
            DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60));

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => driver.Host, CancellationToken.None,
            maxInvocations: 1).WaitAsync(Hang);

        Assert.Equal(0, exit);
        Assert.Empty(SqsEvents.Failures((await batch.WaitAsync(Hang)).Body));
        Assert.All(Five, id => Assert.True(Isolated(account, id), id + " is isolated"));
    }

    [Fact]
    public async Task AlexaTurn_UnderALongFunctionTimeout_KeepsItsOwnResponseBudget()
    {
        var (driver, account) = Sandbox(TimeSpan.FromMilliseconds(400),
            environment: new() { ["FUNCTION_TIMEOUT_SECONDS"] = "60" });
        var isolate = () => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"), ("TagValue", "prod"),
            ("Reason", "port scan"));
        await driver.SayAsync(isolate());
        var before = account.Clock.GetUtcNow();

        var reply = await driver.SayAsync(isolate().Confirmation("CONFIRMED"));

        // The turn answered inside its 7 s and handed the rest to the queue, though the invocation had 60 s.
        Assert.InRange(account.Clock.GetUtcNow() - before, TimeSpan.Zero, TimeSpan.FromSeconds(7));
        Assert.Contains("in the background", reply.Speech, StringComparison.Ordinal);
        Assert.True(account.Queue.Count > 0);
    }

    [Fact]
    public void Deadline_OfBackgroundWork_IsTheLambdaDeadlineLessTheMarginAndOfATurnTheResponseBudget()
    {
        var config = SkillConfig.FromEnvironment(new Dictionary<string, string> { ["FUNCTION_TIMEOUT_SECONDS"] = "60" });
        var lambda = BackgroundDeadline.FromTimeout(Start, config);

        Assert.Equal(Start + TimeSpan.FromSeconds(60), lambda);
        Assert.Equal(Start + TimeSpan.FromSeconds(58), BackgroundDeadline.For(Start, config, lambda));
        Assert.Equal(Start + TimeSpan.FromSeconds(7) - config.DeadlineMargin, TurnBudget.Deadline(Start, config, lambda));
        Assert.Null(BackgroundDeadline.FromTimeout(Start, SkillConfig.FromEnvironment(new Dictionary<string, string>())));
        Assert.Equal(TurnBudget.Deadline(Start, config, null), BackgroundDeadline.For(Start, config, null));
    }
}
