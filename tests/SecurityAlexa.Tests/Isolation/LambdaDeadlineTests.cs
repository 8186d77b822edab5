using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>
/// The Lambda deadline can be earlier than the response budget (a short function timeout, a slow start).
/// Isolation, the blocked-traffic wait and the tag-event path must plan against the earlier of the two.
/// </summary>
public sealed class LambdaDeadlineTests : IDisposable
{
    private const string Db1 = "i-0a1b2c3d4e5f64f2a";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly WireMock.Server.WireMockServer _server = FakeAws.Server();

    public void Dispose() => _server.Dispose();

    private static AlexaRequests Isolate() =>
        AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null));

    [Fact]
    public async Task IsolateConfirmed_WhenTheLambdaDeadlineLeavesNoTimeToFinish_HandsTheWorkOnInsteadOfStartingIt()
    {
        var net = Ec2Network.Standard();
        var queue = new RecordingWorkQueue();
        var driver = new SkillDriver(IsolationServices.Over(net, queue: queue), time: _time);
        await driver.SayAsync(Isolate());
        // 3 s left: less than the 0.8 s margin plus the 2.5 s isolation reserve, though the 7 s budget would allow it.
        driver.LambdaDeadline = _time.GetUtcNow() + TimeSpan.FromSeconds(3);

        var reply = await driver.SayAsync(Isolate().Confirmation("CONFIRMED")).WaitAsync(Hang);

        Assert.Contains("db-1, is being isolated in the background", reply.Speech);
        Assert.Single(queue.Items);
        Assert.Equal("sg-0db000000000000a2", string.Join(",", net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups));
    }

    [Fact]
    public async Task TagEvent_WhenTheLambdaDeadlineLeavesNoTimeToFinish_LeavesTheInstanceToTheNextDelivery()
    {
        var net = Ec2Network.Standard();
        net.Instances[Db1].Tags["SecurityAlexa:Isolate"] = "true";
        var driver = new SkillDriver(IsolationServices.Over(net), time: _time)
        {
            LambdaDeadline = _time.GetUtcNow() + TimeSpan.FromSeconds(3),
        };

        var result = await driver.SendRawAsync(SqsEvents.One(CreateTagsEvent(Db1))).WaitAsync(Hang);

        // Reported, so that SQS delivers it again.
        Assert.Equal(["m-1"], SqsEvents.Failures(result));
        Assert.Equal("sg-0db000000000000a2", string.Join(",", net.Interfaces["eni-0a1b2c3d4e5f64f2a0"].Groups));
    }

    [Fact]
    public async Task BlockedTraffic_WhenTheLambdaDeadlineIsNear_StopsWaitingForTheQueryInTime()
    {
        var net = Ec2Network.Standard();
        net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        var services = IsolationServices.Over(net);
        var driver = new SkillDriver(
            new SkillServices
            {
                Instances = services.Instances,
                Targets = services.Targets,
                Isolation = services.Isolation,
                FlowLogs = new AwsFlowLogs(net.Client, FakeAws.Client(_server, AwsService.CloudWatchLogs)),
            },
            time: _time,
            environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = "3000" });
        await driver.SayAsync(Isolate());
        await driver.SayAsync(Isolate().Confirmation("CONFIRMED"));
        _time.Advance(TimeSpan.FromHours(2));
        Logs("Logs_20140328.StartQuery", "{\"queryId\":\"q-1\"}");
        Logs("Logs_20140328.GetQueryResults", "{\"status\":\"Running\"}");
        // 1.5 s left: after the 0.8 s margin and the time kept for the answer, no poll fits. Nobody moves the fake
        // clock, so a handler that waited for the next poll would never answer.
        driver.LambdaDeadline = _time.GetUtcNow() + TimeSpan.FromSeconds(1.5);

        var reply = await driver.SayAsync(AlexaRequests.Intent("BlockedTrafficIntent", ("InstanceName", "db one"))).WaitAsync(Hang);

        Assert.StartsWith("I'm still counting the blocked traffic for db-1", reply.Speech);
    }

    private void Logs(string target, string body) =>
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", target))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(body));

    private static string CreateTagsEvent(string instanceId) => new JsonObject
    {
        ["version"] = "0",
        ["id"] = "7d2a0c1e-0000-4000-8000-000000000009",
        ["detail-type"] = "AWS API Call via CloudTrail",
        ["source"] = "aws.ec2",
        ["account"] = "111122223333",
        ["time"] = "2026-11-29T12:00:00Z",
        ["region"] = "us-east-1",
        ["resources"] = new JsonArray(),
        ["detail"] = new JsonObject
        {
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = "CreateTags",
            ["userIdentity"] = new JsonObject { ["arn"] = "arn:aws:sts::111122223333:assumed-role/SecOps/alice" },
            ["requestParameters"] = new JsonObject
            {
                ["resourcesSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["resourceId"] = instanceId }) },
                ["tagSet"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["key"] = "SecurityAlexa:Isolate", ["value"] = "true" }) },
            },
            ["eventID"] = "5b3c2f0e-0000-4000-8000-000000000009",
        },
    }.ToJsonString();
}
