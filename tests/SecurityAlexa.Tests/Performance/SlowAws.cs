using System.Collections.Concurrent;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.State;
using SecurityAlexa.Tests.State;
using SecurityAlexa.Tests.Patching;
using SecurityAlexa.Tests.Support;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// An AWS where every call takes <see cref="CallDelay"/> on a fake clock: EC2 through a Moq <see cref="IAmazonEC2"/>
/// that waits and then forwards to <see cref="Ec2Fleet"/>, inspector2 through the real signed client over a transport
/// that waits and then answers a route from a table. Nothing waits in real time: <see cref="SayAsync"/> moves the
/// clock in small steps until the skill answers, and reports how long the user waited by that clock.
/// </summary>
internal sealed class SlowAws
{
    /// <summary>How long each AWS call takes, unless told otherwise.</summary>
    public static readonly TimeSpan CallDelay = TimeSpan.FromSeconds(2);

    public SlowAws(TimeSpan? delay = null) => Delay = delay ?? CallDelay;

    /// <summary>How long each call of this AWS takes.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How far the clock moves at a time.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time => _time;

    private readonly FiringTime _time = new(Start);

    // A fake clock that counts the timers it fires, so the driver knows when the skill was woken up.
    private sealed class FiringTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _fired;

        public int Fired => Volatile.Read(ref _fired);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(s =>
            {
                Interlocked.Increment(ref _fired);
                callback(s);
            }, state, dueTime, period);
    }

    /// <summary>Every call made, by IAM action name, in the order made.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>inspector2 answers by route; replace an entry to change one answer.</summary>
    public Dictionary<string, string> InspectorRoutes { get; } = new(StringComparer.Ordinal);

    private int _waiting;


    /// <summary>Counts a call and waits the delay on the fake clock (cancelled with the request's deadline).</summary>
    public async Task CallAsync(string operation, CancellationToken cancellationToken)
    {
        Calls.Enqueue(operation);
        if (Delay <= TimeSpan.Zero) return;
        Interlocked.Increment(ref _waiting);
        try
        {
            await Task.Delay(Delay, Time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>EC2 reads answered by the fleet after the delay.</summary>
    public IAmazonEC2 Ec2(Ec2Fleet fleet)
    {
        var slow = new Mock<IAmazonEC2>(MockBehavior.Strict);
        slow.Setup(m => m.DescribeTagsAsync(It.IsAny<DescribeTagsRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribeTagsRequest r, CancellationToken ct) =>
            {
                await CallAsync(AwsOperations.Ec2DescribeTags, ct).ConfigureAwait(false);
                return await fleet.Client.DescribeTagsAsync(r, ct).ConfigureAwait(false);
            });
        slow.Setup(m => m.DescribeInstancesAsync(It.IsAny<DescribeInstancesRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (DescribeInstancesRequest r, CancellationToken ct) =>
            {
                await CallAsync(AwsOperations.Ec2DescribeInstances, ct).ConfigureAwait(false);
                return await fleet.Client.DescribeInstancesAsync(r, ct).ConfigureAwait(false);
            });
        return slow.Object;
    }

    /// <summary>
    /// Systems Manager after the delay: patching answered by <paramref name="patches"/>, Parameter Store reads by a small
    /// in-memory store.
    /// </summary>
    public IAmazonSimpleSystemsManagement Ssm(SsmPatchFake patches)
    {
        var parameters = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var slow = new Mock<IAmazonSimpleSystemsManagement>(MockBehavior.Strict);
        slow.Setup(m => m.GetParameterAsync(It.IsAny<GetParameterRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (GetParameterRequest r, CancellationToken ct) =>
            {
                await CallAsync(AwsOperations.SsmGetParameter, ct).ConfigureAwait(false);
                return parameters.TryGetValue(r.Name, out var value)
                    ? new GetParameterResponse { Parameter = new Parameter { Name = r.Name, Value = value } }
                    : throw new ParameterNotFoundException("none") { ErrorCode = "ParameterNotFound", StatusCode = HttpStatusCode.BadRequest };
            });
        var inner = patches.Client;
        slow.Setup(m => m.DescribeInstanceInformationAsync(It.IsAny<DescribeInstanceInformationRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DescribeInstanceInformationRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmDescribeInstanceInformation, () => inner.DescribeInstanceInformationAsync(r, ct), ct));
        slow.Setup(m => m.DescribePatchGroupsAsync(It.IsAny<DescribePatchGroupsRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DescribePatchGroupsRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmDescribePatchGroups, () => inner.DescribePatchGroupsAsync(r, ct), ct));
        slow.Setup(m => m.GetDefaultPatchBaselineAsync(It.IsAny<GetDefaultPatchBaselineRequest>(), It.IsAny<CancellationToken>()))
            .Returns((GetDefaultPatchBaselineRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmGetDefaultPatchBaseline, () => inner.GetDefaultPatchBaselineAsync(r, ct), ct));
        slow.Setup(m => m.SendCommandAsync(It.IsAny<SendCommandRequest>(), It.IsAny<CancellationToken>()))
            .Returns((SendCommandRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmSendCommand, () => inner.SendCommandAsync(r, ct), ct));
        slow.Setup(m => m.ListCommandsAsync(It.IsAny<ListCommandsRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ListCommandsRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmListCommands, () => inner.ListCommandsAsync(r, ct), ct));
        slow.Setup(m => m.ListCommandInvocationsAsync(It.IsAny<ListCommandInvocationsRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ListCommandInvocationsRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmListCommandInvocations, () => inner.ListCommandInvocationsAsync(r, ct), ct));
        slow.Setup(m => m.DescribeInstancePatchStatesAsync(It.IsAny<DescribeInstancePatchStatesRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DescribeInstancePatchStatesRequest r, CancellationToken ct) => AfterAsync(AwsOperations.SsmDescribeInstancePatchStates, () => inner.DescribeInstancePatchStatesAsync(r, ct), ct));
        return slow.Object;
    }

    // One call: counted, delayed, then answered by the inner fake.
    /// <summary>The state table (the security layer's claims) after the delay, over <see cref="FakeDynamoDb"/>.</summary>
    public IStateTable State()
    {
        var table = new FakeDynamoDb();
        var slow = new Mock<IAmazonDynamoDB>(MockBehavior.Strict);
        slow.Setup(m => m.GetItemAsync(It.IsAny<GetItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((GetItemRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoGetItem, () => table.Client.GetItemAsync(r, ct), ct));
        slow.Setup(m => m.BatchGetItemAsync(It.IsAny<BatchGetItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((BatchGetItemRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoBatchGetItem, () => table.Client.BatchGetItemAsync(r, ct), ct));
        slow.Setup(m => m.PutItemAsync(It.IsAny<PutItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((PutItemRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoPutItem, () => table.Client.PutItemAsync(r, ct), ct));
        slow.Setup(m => m.UpdateItemAsync(It.IsAny<UpdateItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((UpdateItemRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoUpdateItem, () => table.Client.UpdateItemAsync(r, ct), ct));
        slow.Setup(m => m.DeleteItemAsync(It.IsAny<DeleteItemRequest>(), It.IsAny<CancellationToken>()))
            .Returns((DeleteItemRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoDeleteItem, () => table.Client.DeleteItemAsync(r, ct), ct));
        slow.Setup(m => m.ScanAsync(It.IsAny<ScanRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ScanRequest r, CancellationToken ct) => AfterAsync(AwsOperations.DynamoScan, () => table.Client.ScanAsync(r, ct), ct));
        return new DynamoStateTable(() => slow.Object, table.TableName);
    }

    private async Task<T> AfterAsync<T>(string operation, Func<Task<T>> answer, CancellationToken ct)
    {
        await CallAsync(operation, ct).ConfigureAwait(false);
        return await answer().ConfigureAwait(false);
    }

    /// <summary>The real inspector2 client, signed, over the slow transport; retries and attempt time-outs run on the fake clock.</summary>
    public SignedJsonClient Inspector() =>
        new(AwsService.Inspector2, FakeAws.Region, new Dictionary<string, string> { ["AWS_ENDPOINT_URL_INSPECTOR2"] = "https://inspector2.test" },
            FakeAws.Credentials, new SlowTransport(this), time: Time);

    /// <summary>
    /// Sends one turn and moves the clock, while the skill waits for AWS, until the answer arrives (or 30 s have passed by
    /// the clock). Returns the answer and how long it took by the fake clock.
    /// </summary>
    // Driven from the thread pool: with no SynchronizationContext (xunit installs one), the skill's continuations run
    // inline when the clock fires a call's delay, so the next calls are already waiting when Advance returns.
    public Task<(AlexaReply Reply, TimeSpan Waited)> SayAsync(SkillDriver driver, AlexaRequests request) => Task.Run(async () =>
    {
        var started = Time.GetUtcNow();
        var answeredAt = DateTimeOffset.MaxValue;
        var turn = driver.SayAsync(request);
        _ = turn.ContinueWith(_ => answeredAt = Time.GetUtcNow(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var seen = (Calls: -1, Waiting: -1);
        while (!turn.IsCompleted && Time.GetUtcNow() - started < TimeSpan.FromSeconds(30))
        {
            await UntilWaitingForAwsAsync(turn);
            if (turn.IsCompleted) break;
            // Calls started together must all be waiting before the clock moves, or one would start a whole delay late.
            if ((Calls.Count, Volatile.Read(ref _waiting)) != seen) seen = await StableAsync(turn);
            var (fired, calls) = (_time.Fired, Calls.Count);
            Time.Advance(Step);
            if (_time.Fired != fired) await SettleAsync(turn, calls);
        }
        var reply = await turn;
        return (reply, (answeredAt == DateTimeOffset.MaxValue ? Time.GetUtcNow() : answeredAt) - started);
    });

    // Work that hopped to the thread pool (the pipeline finishing a turn) is let run first: the clock moves only while a
    // call is waiting (or after a long stall, so that a wait on some other timer still ends), and after queued work has
    // had a moment to run. Other tests share the pool, so that moment is bounded.
    private async Task UntilWaitingForAwsAsync(Task turn)
    {
        var since = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!turn.IsCompleted && Volatile.Read(ref _waiting) == 0
            && System.Diagnostics.Stopwatch.GetElapsedTime(since) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(1);
        }
        for (var i = 0; i < 10 && !turn.IsCompleted && ThreadPool.PendingWorkItemCount > 0; i++) await Task.Delay(1);
    }

    // A timer fired: a call answered, a wait gave up, or the deadline passed. What the skill does next may have hopped
    // to the thread pool, and a loaded machine can hold it there for a while; the clock waits for it to start another
    // call or finish the turn, so that time a busy test host takes is not counted as the user's wait. A skill that
    // is only waiting for other calls still pending is let go on after a bounded real-time wait.
    private async Task SettleAsync(Task turn, int callsBefore)
    {
        var since = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!turn.IsCompleted && Calls.Count == callsBefore
            && System.Diagnostics.Stopwatch.GetElapsedTime(since) < SettleLimit)
        {
            await Task.Delay(1);
        }
    }

    // Waits until no call has started or ended, and no queued work is left, for a short real-time quiet period.
    private async Task<(int Calls, int Waiting)> StableAsync(Task turn)
    {
        var since = System.Diagnostics.Stopwatch.GetTimestamp();
        var state = (Calls.Count, Volatile.Read(ref _waiting));
        var quietSince = since;
        while (!turn.IsCompleted && System.Diagnostics.Stopwatch.GetElapsedTime(since) < SettleLimit)
        {
            await Task.Delay(1);
            var now = (Calls.Count, Volatile.Read(ref _waiting));
            if (now != state || ThreadPool.PendingWorkItemCount > 0)
            {
                state = now;
                quietSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else if (System.Diagnostics.Stopwatch.GetElapsedTime(quietSince) >= QuietPeriod) break;
        }
        return state;
    }

    /// <summary>How long nothing may change before calls started together count as all started.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest real time the clock waits after a timer fired before moving on.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMilliseconds(250);

    private sealed class SlowTransport(SlowAws aws) : HttpMessageHandler
    {
        private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
        {
            ["/status/batch/get"] = AwsOperations.InspectorBatchGetAccountStatus,
            ["/enable"] = AwsOperations.InspectorEnable,
            ["/cis/scan-configuration/create"] = AwsOperations.InspectorCreateCisScanConfiguration,
            ["/coverage/list"] = AwsOperations.InspectorListCoverage,
            ["/coverage/statistics/list"] = AwsOperations.InspectorListCoverageStatistics,
            ["/cis/scan/list"] = AwsOperations.InspectorListCisScans,
            ["/cis/scan-result/resource/list"] = AwsOperations.InspectorListCisScanResultsAggregatedByTargetResource,
            ["/findings/aggregation/list"] = AwsOperations.InspectorListFindingAggregations,
            ["/findings/list"] = AwsOperations.InspectorListFindings,
            ["/cis/scan/report/get"] = AwsOperations.InspectorGetCisScanReport,
        };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            await aws.CallAsync(Operations.GetValueOrDefault(path, "inspector2:" + path), cancellationToken).ConfigureAwait(false);
            return aws.InspectorRoutes.TryGetValue(path, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"message":"no such route"}""") };
        }
    }
}
