using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SecurityAlexa.Tests.Isolation;

public sealed class BlockedTrafficTests : IDisposable
{
    private readonly WireMock.Server.WireMockServer _server = FakeAws.Server();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly Ec2Network _net = Ec2Network.Standard();

    public void Dispose() => _server.Dispose();

    private SkillDriver Driver(int waitMs = 0)
    {
        var services = IsolationServices.Over(_net);
        var withLogs = new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            FlowLogs = new AwsFlowLogs(_net.Client, FakeAws.Client(_server, AwsService.CloudWatchLogs)),
        };
        return new SkillDriver(withLogs, time: _time, environment: new Dictionary<string, string> { ["BLOCKED_TRAFFIC_WAIT_MS"] = waitMs.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static AlexaRequests Blocked(string? name) => AlexaRequests.Intent("BlockedTrafficIntent", ("InstanceName", name));

    private void Logs(string target, string body)
    {
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", target))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
    }

    private async Task IsolateDb1(SkillDriver driver)
    {
        var isolate = AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null));
        await driver.SayAsync(isolate);
        await driver.SayAsync(AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null)).Confirmation("CONFIRMED"));
    }

    private int Requests(string target) => _server.LogEntries.Count(e => FakeAws.Header(e, "X-Amz-Target") == target);

    [Fact]
    public async Task BlockedTraffic_WhenTheQueryOutlastsTheTurn_SaysSoAndAnswersFromTheSameQueryNextTime()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        var driver = Driver();
        await IsolateDb1(driver);
        _time.Advance(TimeSpan.FromHours(2));
        Logs("Logs_20140328.StartQuery", "{\"queryId\":\"q-1\"}");
        Logs("Logs_20140328.GetQueryResults", "{\"status\":\"Running\"}");

        var first = await driver.SayAsync(Blocked("db one"));

        Assert.Equal("I'm still counting the blocked traffic for db-1 in its flow logs. Ask me again in a moment, and I'll have the answer.", first.Speech);
        Assert.False(first.EndsSession);

        _server.ResetMappings();
        Logs("Logs_20140328.GetQueryResults", "{\"status\":\"Complete\",\"results\":[[{\"field\":\"rejected\",\"value\":\"1234\"}]]}");
        var second = await driver.SayAsync(Blocked(null));

        Assert.StartsWith("Since db-1 was isolated 2 hours ago, its flow logs show 1234 blocked connections.", second.Speech);
        // WireMock records a request just after answering it.
        for (var i = 0; i < 250 && _server.LogEntries.Count < 3; i++) await Task.Delay(20);
        Assert.Equal(1, Requests("Logs_20140328.StartQuery"));
        Assert.Equal(2, Requests("Logs_20140328.GetQueryResults"));
        Assert.Contains("REJECT records", second.CardText);
    }

    [Fact]
    public async Task BlockedTraffic_WhenTheInstanceIsNotIsolated_SaysSoWithoutQuerying()
    {
        var driver = Driver();

        var reply = await driver.SayAsync(Blocked("web two"));

        Assert.StartsWith("web-2 isn't isolated, so there's no blocked traffic to count.", reply.Speech);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task BlockedTraffic_WhenTheVpcHasNoFlowLogsInCloudWatch_SaysSoWithoutQuerying()
    {
        var driver = Driver();
        await IsolateDb1(driver);

        var reply = await driver.SayAsync(Blocked("db one"));

        Assert.StartsWith("db-1's VPC has no flow logs going to CloudWatch Logs", reply.Speech);
        Assert.Empty(_server.LogEntries);
    }

    // The StartQuery's window start, in epoch seconds, as sent.
    private long QueryStart()
    {
        var entry = _server.LogEntries.First(e => FakeAws.Header(e, "X-Amz-Target") == "Logs_20140328.StartQuery");
        using var body = System.Text.Json.JsonDocument.Parse(entry.RequestMessage.Body ?? "{}");
        return body.RootElement.GetProperty("startTime").GetInt64();
    }

    [Fact]
    public async Task BlockedTraffic_CountsFromTheRecordedIsolationTime_WhateverTheTagSays()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        var driver = Driver();
        var isolatedAt = _time.GetUtcNow();
        await IsolateDb1(driver);
        // Someone rewrites the marker to a month earlier: a wider, costlier scan.
        _net.Instances["i-0a1b2c3d4e5f64f2a"].Tags[global::SecurityAlexa.Targets.SkillTags.IsolatedAt] = "2026-10-29T12:00:00Z";
        _time.Advance(TimeSpan.FromHours(2));
        Logs("Logs_20140328.StartQuery", "{\"queryId\":\"q-1\"}");
        Logs("Logs_20140328.GetQueryResults", "{\"status\":\"Complete\",\"results\":[[{\"field\":\"rejected\",\"value\":\"7\"}]]}");

        var reply = await driver.SayAsync(Blocked("db one"));

        Assert.StartsWith("Since db-1 was isolated 2 hours ago", reply.Speech);
        Assert.Equal(isolatedAt.ToUnixTimeSeconds(), QueryStart());
    }

    [Fact]
    public async Task BlockedTraffic_WhenIsolatedMoreThanAWeekAgo_CountsTheLastSevenDaysOnly()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        var driver = Driver();
        await IsolateDb1(driver);
        _time.Advance(TimeSpan.FromDays(10));
        Logs("Logs_20140328.StartQuery", "{\"queryId\":\"q-1\"}");
        Logs("Logs_20140328.GetQueryResults", "{\"status\":\"Complete\",\"results\":[[{\"field\":\"rejected\",\"value\":\"7\"}]]}");

        await driver.SayAsync(Blocked("db one"));

        Assert.Equal((_time.GetUtcNow() - TimeSpan.FromDays(7)).ToUnixTimeSeconds(), QueryStart());
    }

    [Fact]
    public async Task BlockedTraffic_WhenOnlyAMarkerTagSaysIsolated_SaysItIsNotThisSkillsWithoutQuerying()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        _net.Instances["i-0a1b2c3d4e5f60002"].Tags[global::SecurityAlexa.Targets.SkillTags.IsolatedAt] = "2026-01-01T00:00:00Z";
        var driver = Driver();

        var reply = await driver.SayAsync(Blocked("web two"));

        Assert.StartsWith("web-2 is marked isolated by something other than this skill", reply.Speech);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Status_WhenAnInstanceCarriesOnlyAMarkerTag_NamesItAsNotIsolatedByThisSkill()
    {
        _net.Instances["i-0a1b2c3d4e5f60002"].Tags[global::SecurityAlexa.Targets.SkillTags.IsolatedAt] = "2026-01-01T00:00:00Z";
        var driver = Driver();

        var reply = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.StartsWith("No instances are isolated. web-2 is marked isolated by something other than this skill", reply.Speech);
    }

    [Fact]
    public async Task Status_WhenTheIsolationGroupHasGainedRules_SaysSoAndPostsToChat()
    {
        var chat = new RecordingChat();
        var services = IsolationServices.Over(_net, chat);
        var driver = new SkillDriver(services, time: _time);
        await IsolateDb1(driver);
        var isolation = _net.SkillGroup(SecurityAlexa.Isolation.IsolationRecord.IsolationRole)!;
        isolation.Ingress.Add(new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] });

        var reply = await driver.SayAsync(AlexaRequests.Intent("IsolationStatusIntent"));

        Assert.StartsWith("One instance is isolated: db-1", reply.Speech);
        Assert.Contains("has rules that let traffic through, so I won't use it", reply.Speech, StringComparison.Ordinal);
        Assert.Contains(chat.Posts, p => p.StartsWith("WARNING: the isolation group " + isolation.Id, StringComparison.Ordinal));
    }
}
