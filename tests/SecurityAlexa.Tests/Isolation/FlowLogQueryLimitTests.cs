using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Isolation;
using SecurityAlexa.Security;
using SecurityAlexa.State;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>Issue 13 §6: Logs Insights queries are limited per account and minute, on the state table's atomic counters.</summary>
public sealed class FlowLogQueryLimitTests : IDisposable
{
    private readonly WireMock.Server.WireMockServer _server = FakeAws.Server();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 10, TimeSpan.Zero));
    private readonly Ec2Network _net = Ec2Network.Standard();
    private readonly InMemoryStateTable _state = new();

    public FlowLogQueryLimitTests()
    {
        _net.FlowLogs.Add(new FlowLog { ResourceId = Ec2Network.Vpc, LogGroupName = "/vpc/flow-logs/prod", LogDestinationType = LogDestinationType.CloudWatchLogs, TrafficType = TrafficType.ALL });
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", "Logs_20140328.StartQuery"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"queryId\":\"q-1\"}"));
        _server.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", "Logs_20140328.GetQueryResults"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"status\":\"Complete\",\"results\":[[{\"field\":\"rejected\",\"value\":\"7\"}]]}"));
    }

    public void Dispose() => _server.Dispose();

    private SkillDriver Driver(Dictionary<string, string>? env = null)
    {
        var services = IsolationServices.Over(_net);
        var withLogs = new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            FlowLogs = new AwsFlowLogs(_net.Client, FakeAws.Client(_server, AwsService.CloudWatchLogs)),
            State = _state,
        };
        var environment = new Dictionary<string, string>(env ?? []) { ["BLOCKED_TRAFFIC_WAIT_MS"] = "0" };
        environment.TryAdd("ALLOWED_USERS", IdentityHash.Of(AlexaRequests.UserId)! + "," + IdentityHash.Of(OtherAccount));
        return new SkillDriver(withLogs, time: _time, environment: environment);
    }

    private const string OtherAccount = "amzn1.ask.account.COLLEAGUE";

    private static AlexaRequests Blocked() => AlexaRequests.Intent("BlockedTrafficIntent", ("InstanceName", "db one"));

    private async Task IsolateDb1(SkillDriver driver)
    {
        AlexaRequests Isolate() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", "db one"), ("TagKey", null), ("TagValue", null), ("Reason", null));
        await driver.SayAsync(Isolate());
        await driver.SayAsync(Isolate().Confirmation("CONFIRMED"));
        driver.EndSession();
    }

    private async Task<int> StartQueriesAsync(int atLeast)
    {
        // WireMock records a request just after answering it.
        for (var i = 0; i < 250 && StartQueries < atLeast; i++) await Task.Delay(20);
        return StartQueries;
    }

    private int StartQueries => _server.LogEntries.Count(e => FakeAws.Header(e, "X-Amz-Target") == "Logs_20140328.StartQuery");

    [Fact]
    public async Task BlockedTraffic_AfterThreeQueriesInAMinute_SaysTheLimitAndStartsNoFourth()
    {
        var driver = Driver();
        await IsolateDb1(driver);

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
            answers.Add((await driver.SendAsync(Blocked())).Speech);

        Assert.All(answers.Take(3), a => Assert.StartsWith("Since db-1 was isolated", a));
        Assert.Equal("That would be more than 3 traffic queries in a minute for this account, which is my limit, so I didn't start another. "
            + "Ask me again in a minute. Anything else?", answers[3]);
        Assert.Equal(3, await StartQueriesAsync(3));
        Assert.Single(driver.LogsOf("traffic.query-limited"));
    }

    [Fact]
    public async Task BlockedTraffic_InTheNextMinute_QueriesAgain()
    {
        var driver = Driver(new() { ["LOGS_QUERY_MAX_PER_MINUTE"] = "1" });
        await IsolateDb1(driver);

        var first = await driver.SendAsync(Blocked());
        var limited = await driver.SendAsync(Blocked());
        _time.Advance(TimeSpan.FromMinutes(1));
        var next = await driver.SendAsync(Blocked());

        Assert.StartsWith("Since db-1 was isolated", first.Speech);
        Assert.StartsWith("That would be more than 1 traffic queries in a minute", limited.Speech);
        Assert.StartsWith("Since db-1 was isolated", next.Speech);
        Assert.Equal(2, await StartQueriesAsync(2));
    }

    [Fact]
    public async Task BlockedTraffic_TwoContainersOverOneTable_ShareTheAccountsCount()
    {
        var first = Driver(new() { ["LOGS_QUERY_MAX_PER_MINUTE"] = "2" });
        var second = Driver(new() { ["LOGS_QUERY_MAX_PER_MINUTE"] = "2" });
        await IsolateDb1(first);

        await first.SendAsync(Blocked());
        await second.SendAsync(Blocked());
        var third = await first.SendAsync(Blocked());

        Assert.StartsWith("That would be more than 2 traffic queries in a minute", third.Speech);
        Assert.Equal(2, await StartQueriesAsync(2));
        Assert.Equal(3, _state.Items.Single(i => i.Key == FlowLogQueryLimit.Key(IdentityHash.Of(AlexaRequests.UserId)!, new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))).Number("queries"));
    }

    [Fact]
    public async Task BlockedTraffic_AnotherAccountHasItsOwnCount()
    {
        var driver = Driver(new() { ["LOGS_QUERY_MAX_PER_MINUTE"] = "1" });
        await IsolateDb1(driver);

        await driver.SendAsync(Blocked());
        var colleague = await driver.SendAsync(Blocked().Account(OtherAccount));

        Assert.StartsWith("Since db-1 was isolated", colleague.Speech);
    }
}
