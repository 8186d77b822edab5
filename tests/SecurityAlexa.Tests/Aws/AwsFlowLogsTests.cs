using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using SecurityAlexa.AwsContract;

namespace SecurityAlexa.Tests.Aws;

public sealed class AwsFlowLogsTests : IDisposable
{
    private readonly WireMock.Server.WireMockServer _server = FakeAws.Server();
    private readonly Ec2Network _net = Ec2Network.Standard();

    public void Dispose() => _server.Dispose();

    private AwsFlowLogs FlowLogs() => new(_net.Client, FakeAws.Client(_server, AwsService.CloudWatchLogs));

    private void Answer(string target, string body) =>
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", target))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(body));

    private async Task<List<WireMock.Logging.ILogEntry>> Entries(int atLeast)
    {
        for (var i = 0; i < 250 && _server.LogEntries.Count < atLeast; i++) await Task.Delay(20);
        return [.. _server.LogEntries];
    }

    [Fact]
    public async Task StartRejectCountAsync_SendsASignedStartQueryCountingRejectsOfTheInterfacesSinceIsolation()
    {
        Answer("Logs_20140328.StartQuery", "{\"queryId\":\"q-123\"}");
        var since = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

        var id = await FlowLogs().StartRejectCountAsync(["/vpc/flow-logs/prod"], ["eni-0a1b2c3d4e5f600010", "eni-0a1b2c3d4e5f600011"], since, since.AddHours(2), CancellationToken.None);

        Assert.Equal("q-123", id);
        var entry = Assert.Single(await Entries(1));
        Assert.StartsWith("application/x-amz-json-1.1", FakeAws.Header(entry, "Content-Type"));
        Assert.Matches(@"Credential=[^/]+/\d{8}/us-east-1/logs/aws4_request", FakeAws.Header(entry, "Authorization"));
        var body = JsonNode.Parse(entry.RequestMessage.Body!)!;
        Assert.Equal("/vpc/flow-logs/prod", (string?)body["logGroupNames"]![0]);
        Assert.Equal(since.ToUnixTimeSeconds(), (long)body["startTime"]!);
        Assert.Equal(since.AddHours(2).ToUnixTimeSeconds(), (long)body["endTime"]!);
        Assert.Equal("filter action = \"REJECT\" and interfaceId in [\"eni-0a1b2c3d4e5f600010\", \"eni-0a1b2c3d4e5f600011\"] | stats count(*) as rejected", (string?)body["queryString"]);
    }

    [Theory]
    [InlineData("{\"status\":\"Complete\",\"results\":[[{\"field\":\"rejected\",\"value\":\"4217\"}]]}", FlowLogQueryState.Complete, 4217)]
    [InlineData("{\"status\":\"Complete\",\"results\":[]}", FlowLogQueryState.Complete, 0)]
    [InlineData("{\"status\":\"Running\",\"results\":[]}", FlowLogQueryState.Running, 0)]
    [InlineData("{\"status\":\"Scheduled\"}", FlowLogQueryState.Running, 0)]
    [InlineData("{\"status\":\"Timeout\"}", FlowLogQueryState.Failed, 0)]
    public async Task GetRejectCountAsync_ReadsTheStatusAndTheCount(string body, FlowLogQueryState state, long count)
    {
        Answer("Logs_20140328.GetQueryResults", body);

        var result = await FlowLogs().GetRejectCountAsync("q-123", CancellationToken.None);

        Assert.Equal(new FlowLogCount(state, count), result);
        Assert.Equal("q-123", (string?)JsonNode.Parse(Assert.Single(await Entries(1)).RequestMessage.Body!)!["queryId"]);
    }

    [Fact]
    public async Task GetRejectCountAsync_WhenAccessIsDenied_NamesTheIamAction()
    {
        _server.Given(Request.Create().WithPath("/").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("{\"__type\":\"AccessDeniedException\",\"message\":\"no\"}"));

        var e = await Assert.ThrowsAsync<AwsCallException>(() => FlowLogs().GetRejectCountAsync("q-1", CancellationToken.None));

        Assert.Equal("logs:GetQueryResults", e.Operation);
        Assert.Equal(AwsFailure.AccessDenied, e.Failure);
    }

    [Fact]
    public async Task FindAsync_AsksForCloudWatchLogsFlowLogsOfTheResources()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL, FlowLogStatus = "ACTIVE" });
        _net.FlowLogs.Add(new FlowLog { ResourceId = "vpc-other", LogGroupName = "/vpc/other", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL, FlowLogStatus = "ACTIVE" });

        var found = await FlowLogs().FindAsync([Ec2Network.Vpc, "eni-0a1b2c3d4e5f64f2a0"], CancellationToken.None);

        Assert.Equal([new FlowLogDestination(Ec2Network.Vpc, "/vpc/flow-logs/prod", "ALL")], found);
        var request = _net.Calls.Select(c => c.Request).OfType<DescribeFlowLogsRequest>().Single();
        Assert.Contains(request.Filter, f => f.Name == "log-destination-type" && f.Values.SequenceEqual(["cloud-watch-logs"]));
    }

    [Fact]
    public async Task FindAsync_WhenThereAreNone_ReturnsEmptyNotNull()
    {
        Assert.Empty(await FlowLogs().FindAsync([Ec2Network.Vpc], CancellationToken.None));
    }

    [Fact]
    public void RejectCountQuery_LeavesOutAnythingThatIsNotAnInterfaceId()
    {
        var query = AwsFlowLogs.RejectCountQuery(["eni-0abc12345678", "eni-1\"] | fields @message #"]);

        Assert.DoesNotContain("@message", query);
        Assert.Contains("\"eni-0abc12345678\"]", query);
        Assert.Throws<ArgumentException>(() => AwsFlowLogs.RejectCountQuery(["not-an-eni"]));
    }
}
