using System.Collections.Concurrent;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Performance;

/// <summary>
/// An AWS where every call takes <see cref="CallDelay"/> on a fake clock: EC2 through a Moq <see cref="IAmazonEC2"/>
/// that waits and then forwards to <see cref="Ec2Fleet"/>, inspector2 through the real signed client over a transport
/// that waits and then answers a route from a table. Nothing waits in real time: <see cref="SayAsync"/> moves the
/// clock in small steps until the skill answers, and reports how long the user waited by that clock.
/// </summary>
public sealed class SlowAws
{
    /// <summary>How long each AWS call takes, unless told otherwise.</summary>
    public static readonly TimeSpan CallDelay = TimeSpan.FromSeconds(2);

    public SlowAws(TimeSpan? delay = null) => Delay = delay ?? CallDelay;

    /// <summary>How long each call of this AWS takes.</summary>
    public TimeSpan Delay { get; }

    /// <summary>How far the clock moves at a time.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

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
        while (!turn.IsCompleted && Time.GetUtcNow() - started < TimeSpan.FromSeconds(30))
        {
            await UntilWaitingForAwsAsync(turn);
            if (!turn.IsCompleted) Time.Advance(Step);
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

    private sealed class SlowTransport(SlowAws aws) : HttpMessageHandler
    {
        private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
        {
            ["/status/batch/get"] = AwsOperations.InspectorBatchGetAccountStatus,
            ["/enable"] = AwsOperations.InspectorEnable,
            ["/cis/scan-configuration/create"] = AwsOperations.InspectorCreateCisScanConfiguration,
            ["/coverage/list"] = AwsOperations.InspectorListCoverage,
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
