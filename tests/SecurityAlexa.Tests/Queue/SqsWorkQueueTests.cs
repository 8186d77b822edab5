using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Moq;
using SecurityAlexa.Aws;
using SecurityAlexa.AwsContract;
using SecurityAlexa.Skill;

namespace SecurityAlexa.Tests.Queue;

/// <summary>The SQS adapter against a mocked IAmazonSQS: what it sends, in how many calls, and how it fails.</summary>
public sealed class SqsWorkQueueTests
{
    private const string Url = "https://sqs.us-east-1.amazonaws.com/111122223333/SecurityAlexa-WorkQueue";

    [Fact]
    public async Task EnqueueAsync_WithTwelveItems_SendsTwoBatchesOfAtMostTenEnvelopesToTheQueue()
    {
        var sqs = new Mock<IAmazonSQS>(MockBehavior.Strict);
        var sent = new List<SendMessageBatchRequest>();
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()))
            .Callback<SendMessageBatchRequest, CancellationToken>((r, _) => sent.Add(r))
            .ReturnsAsync(new SendMessageBatchResponse());
        var items = Enumerable.Range(0, 12).Select(i => new WorkItem("isolate-instance", "{\"n\":" + i + "}")).ToList();

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync(items, CancellationToken.None);

        Assert.True(result.AllWent);
        Assert.Equal([10, 2], sent.Select(r => r.Entries.Count));
        Assert.All(sent, r => Assert.Equal(Url, r.QueueUrl));
        Assert.All(sent, r => Assert.Equal(r.Entries.Count, r.Entries.Select(e => e.Id).Distinct().Count()));
        var bodies = sent.SelectMany(r => r.Entries).Select(e => JsonNode.Parse(e.MessageBody)!).ToList();
        Assert.All(bodies, b => Assert.Equal("isolate-instance", (string?)b["kind"]));
        Assert.Equal(items.Select(i => i.Payload), bodies.Select(b => (string?)b["payload"]));
    }

    [Fact]
    public async Task EnqueueAsync_WhenAnEntryIsRefusedAsTheSendersFault_ReturnsItNamingSendMessage_WithoutRetrying()
    {
        var sqs = new Mock<IAmazonSQS>(MockBehavior.Strict);
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendMessageBatchResponse
            {
                Failed = [new BatchResultErrorEntry { Id = "0", Code = "KMS.AccessDeniedException", SenderFault = true, Message = "no" }],
            });
        var item = new WorkItem("k", "{}");

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync([item], CancellationToken.None);

        Assert.Equal([item], result.NotSent);
        Assert.Equal(AwsOperations.SqsSendMessage, result.Failure?.Operation);
        Assert.Equal("KMS.AccessDeniedException", result.Failure?.ErrorCode);
        Assert.Equal(AwsFailure.InvalidRequest, result.Failure?.Failure);
        // The same entry would be refused again: one call only.
        sqs.Verify(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EnqueueAsync_WhenSqsIsDenied_ReturnsEveryItemAsNotSent_AndTriesNoFurtherBatch()
    {
        var sqs = new Mock<IAmazonSQS>(MockBehavior.Strict);
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonSQSException("denied") { ErrorCode = "AccessDenied", StatusCode = System.Net.HttpStatusCode.Forbidden });
        var items = Enumerable.Range(0, 12).Select(i => new WorkItem("k", "{\"n\":" + i + "}")).ToList();

        var result = await new SqsWorkQueue(() => sqs.Object, Url).EnqueueAsync(items, CancellationToken.None);

        Assert.Equal(AwsFailure.AccessDenied, result.Failure?.Failure);
        Assert.Equal(items, result.NotSent);
        sqs.Verify(s => s.SendMessageBatchAsync(It.IsAny<SendMessageBatchRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void AwsServices_WithoutWorkQueueUrl_HasNoQueue_AndWithItBuildsNoClientUntilUsed()
    {
        var built = 0;
        var none = AwsServices.Create(SkillConfig.FromEnvironment(new Dictionary<string, string>(), requireSkillId: false));
        var queue = new SqsWorkQueue(() => { built++; throw new InvalidOperationException(); }, Url);

        Assert.Null(none.WorkQueue);
        Assert.Null(none.WorkQueueUrl);
        Assert.Equal(0, built);
        Assert.Equal(Url, queue.QueueUrl);
    }
}
