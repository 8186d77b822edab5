using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Isolation;
using SecurityAlexa.Skill;
using SecurityAlexa.Skill.Speech;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Queue;

/// <summary>
/// SendMessageBatch can accept some entries and fail others. Only the failed ones are sent again (bounded), what still did
/// not go is returned, and the turn says which instances continue and which do not; a unit delivered twice anyway
/// changes nothing the second time.
/// </summary>
public sealed class PartialEnqueueTests
{
    private const string Url = "https://sqs.us-east-1.amazonaws.com/111122223333/SecurityAlexa-WorkQueue";
    private const string Web1 = "i-0a1b2c3d4e5f60001";
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";

    private static List<WorkItem> Items(int count, int bytes = 10) =>
        Enumerable.Range(0, count)
            .Select(i => new WorkItem("isolate-instance", "{\"n\":" + i + ",\"pad\":\"" + new string('x', bytes) + "\"}")).ToList();

    // A queue that answers each call with the failed entries the test chooses, and records what each call carried.
    private static (Mock<IAmazonSQS> Sqs, List<SendMessageBatchRequest> Sent) Sqs(
        Func<int, SendMessageBatchRequest, List<BatchResultErrorEntry>> fail)
    {
        var sqs = new Mock<IAmazonSQS>(MockBehavior.Strict);
        var sent = new List<SendMessageBatchRequest>();
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendMessageBatchRequest r, CancellationToken _) =>
            {
                sent.Add(r);
                var failed = fail(sent.Count, r);
                return new SendMessageBatchResponse { Failed = failed.Count == 0 ? null : failed };
            });
        return (sqs, sent);
    }

    private static BatchResultErrorEntry Failed(string id, bool senderFault = false) =>
        new() { Id = id, Code = senderFault ? "InvalidParameterValue" : "InternalError", SenderFault = senderFault, Message = "test" };

    private static string N(SendMessageBatchRequestEntry e) =>
        JsonNode.Parse((string)JsonNode.Parse(e.MessageBody)!["payload"]!)!["n"]!.ToString();

    [Fact]
    public async Task EnqueueAsync_WhenSomeEntriesFail_SendsOnlyThoseAgain_SoNoItemIsAcceptedTwice()
    {
        var (sqs, sent) = Sqs((call, r) => call == 1 ? [Failed(r.Entries[1].Id), Failed(r.Entries[3].Id)] : []);
        var items = Items(5);

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync(items, CancellationToken.None);

        Assert.True(result.AllWent);
        Assert.Equal(2, sent.Count);
        // The retry carries the two failed entries and nothing else: the three accepted are not sent again.
        Assert.Equal(["1", "3"], sent[1].Entries.Select(N));
        var accepted = sent[0].Entries.Where(e => e.Id != sent[0].Entries[1].Id && e.Id != sent[0].Entries[3].Id).Concat(sent[1].Entries)
            .Select(N).Order().ToList();
        Assert.Equal(["0", "1", "2", "3", "4"], accepted);
    }

    [Fact]
    public async Task EnqueueAsync_WhenAnEntryKeepsFailing_RetriesItAloneABoundedNumberOfTimes_ThenReturnsIt()
    {
        var items = Items(3);
        var (sqs, sent) = Sqs((_, r) => r.Entries.Where(e => N(e) == "2").Select(e => Failed(e.Id)).ToList());

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync(items, CancellationToken.None);

        Assert.Equal([items[2]], result.NotSent);
        Assert.Equal(AwsFailure.ServiceError, result.Failure?.Failure);
        Assert.Equal("InternalError", result.Failure?.ErrorCode);
        Assert.Equal(1 + SqsWorkQueue.RetriesOfFailedEntries, sent.Count);
        Assert.All(sent.Skip(1), r => Assert.Equal(["2"], r.Entries.Select(N)));
    }

    [Fact]
    public async Task EnqueueAsync_KeepsEachCallWithinTenEntriesAnd256KiB_AndNeverSendsAnOversizedBody()
    {
        var (sqs, sent) = Sqs((_, _) => []);
        // 100 KB each: two fit in a call, not three. One of 300 KB fits in none.
        var items = Items(5, 100_000);
        items.Insert(2, new WorkItem("isolate-instance", "{\"n\":99,\"pad\":\"" + new string('x', 300_000) + "\"}"));

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync(items, CancellationToken.None);

        Assert.All(sent, r =>
            Assert.InRange(r.Entries.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.MessageBody)), 1, SqsWorkQueue.MaxBatchBytes));
        Assert.All(sent, r => Assert.InRange(r.Entries.Count, 1, SqsWorkQueue.MaxBatch));
        Assert.Equal(["0", "1", "2", "3", "4"], sent.SelectMany(r => r.Entries).Select(N).Order());
        Assert.Equal([items[2]], result.NotSent);
        Assert.Equal(AwsFailure.InvalidRequest, result.Failure?.Failure);
        Assert.Equal("MessageTooLong", result.Failure?.ErrorCode);
    }

    [Fact]
    public async Task IsolateAsync_WhenTheQueueTakesSomeUnitsAndNotOthers_ReportsWhichContinue_AndSaysSo()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
        var state = new InMemoryStateTable();
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue { Refuses = i => i.Payload.Contains(Db1, StringComparison.Ordinal) };
        var isolator = new InstanceIsolator(new Ec2IsolationAccount(net.Client), new IsolationOptions(), state, time, queue);

        var report = await isolator.IsolateAsync([Web1, Db1], new IsolationRequest("speaker:abc123", "incident 42", time.GetUtcNow()),
            new IsolationBudget(time.GetUtcNow() - TimeSpan.FromSeconds(1), time), CancellationToken.None);
        var speech = IsolationSpeech.Isolated(SpeechCatalog.LoadEmbedded().For("en-US"), report, time.GetUtcNow()).Text;
        var listed = await isolator.Queued.ListAsync(CancellationToken.None);

        Assert.True(report.Continuing);
        Assert.Equal([Web1], report.HandedOn.Select(i => i.InstanceId));
        Assert.Equal([Db1], report.Stranded.Select(i => i.InstanceId));
        Assert.Equal("sqs:SendMessage", report.ContinuationError?.Operation);
        Assert.Contains("1 instance, web-1, is being isolated in the background", speech, StringComparison.Ordinal);
        Assert.Contains("I ran out of time before db-1. Say isolate db-1 again to finish.", speech, StringComparison.Ordinal);
        Assert.DoesNotContain("db-1, is being isolated", speech, StringComparison.Ordinal);
        // Only what is on the queue is noted as continuing for other sessions.
        Assert.Equal([Web1], listed.Instances.Select(i => i.InstanceId));
        Assert.Empty(net.MutatingCalls);
    }

    [Fact]
    public async Task AUnitDeliveredTwice_IsolatesOnce_AndTheSecondDeliveryChangesAndPostsNothing()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        var table = new InMemoryStateTable();
        var chat = new RecordingChat();
        var turns = new SkillDriver(IsolationServices.Over(net, queue: queue, state: table),
            environment: new Dictionary<string, string> { ["ISOLATE_RESERVE_MS"] = "60000" });
        static AlexaRequests Isolate() =>
            AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null));
        await turns.SayAsync(Isolate());
        await turns.SayAsync(Isolate().Confirmation("CONFIRMED"));
        var consumer = new SkillDriver(IsolationServices.Over(net, state: table, chat: chat));
        var unit = WorkEnvelope.BodyOf(Assert.Single(queue.Items));

        // The same message body twice, as SQS's at-least-once delivery (or a retried SendMessageBatch) may give it.
        var first = SqsEvents.Failures(await consumer.SendRawAsync(SqsEvents.Batch([("m-1", unit)])));
        var changesAfterFirst = net.MutatingCalls.Count;
        var postsAfterFirst = chat.Posts.Count;
        var second = SqsEvents.Failures(await consumer.SendRawAsync(SqsEvents.Batch([("m-2", unit)])));

        Assert.Empty(first);
        Assert.Empty(second);
        Assert.True(changesAfterFirst > 0);
        Assert.Equal(changesAfterFirst, net.MutatingCalls.Count);
        Assert.Equal(postsAfterFirst, chat.Posts.Count);
        Assert.Equal([net.SkillGroup(IsolationRecord.IsolationRole)!.Id], net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups);
    }
}
