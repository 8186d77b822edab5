using System.Text.Json.Nodes;

namespace SecurityAlexa.Tests.Support;

/// <summary>SQS batches as Lambda's event source mapping delivers them, and their answers, written for these tests.</summary>
internal static class SqsEvents
{
    public const string Account = "111122223333";
    public const string QueueUrl = "https://sqs.us-east-1.amazonaws.com/111122223333/SecurityAlexa-WorkQueue";
    public const string QueueArn = "arn:aws:sqs:us-east-1:111122223333:SecurityAlexa-WorkQueue";

    /// <summary>One batch of messages (id, body), each from <paramref name="queueArn"/>, received <paramref name="receiveCount"/> times.</summary>
    public static string Batch(IEnumerable<(string Id, string Body)> messages, string queueArn = QueueArn, int receiveCount = 1) =>
        new JsonObject
        {
            ["Records"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject
            {
                ["messageId"] = m.Id,
                ["receiptHandle"] = "handle-" + m.Id,
                ["body"] = m.Body,
                ["attributes"] = new JsonObject
                {
                    ["ApproximateReceiveCount"] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["SentTimestamp"] = "1796040000000",
                },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "0",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = queueArn,
                ["awsRegion"] = "us-east-1",
            }).ToArray()),
        }.ToJsonString();

    /// <summary>A batch of one message.</summary>
    public static string One(string body, string id = "m-1", string queueArn = QueueArn) => Batch([(id, body)], queueArn);

    /// <summary>The skill's own message body for a unit.</summary>
    public static string Envelope(string kind, string payload) =>
        new JsonObject { ["kind"] = kind, ["payload"] = payload }.ToJsonString();

    /// <summary>The message ids a batch answer reports as failed; throws when the answer is not a batch answer.</summary>
    public static List<string> Failures(string response) =>
        ((JsonArray)JsonNode.Parse(response)!["batchItemFailures"]!).Select(f => (string)f!["itemIdentifier"]!).ToList();

    /// <summary>An EventBridge scheduled event, as the 5-minute rule sends it.</summary>
    public static string Scheduled(string account = Account) =>
        new JsonObject
        {
            ["version"] = "0",
            ["id"] = "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            ["detail-type"] = "Scheduled Event",
            ["source"] = "aws.events",
            ["account"] = account,
            ["time"] = "2026-12-06T21:00:00Z",
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray("arn:aws:events:us-east-1:111122223333:rule/SecurityAlexa-ScheduleRule"),
            ["detail"] = new JsonObject(),
        }.ToJsonString();
}
