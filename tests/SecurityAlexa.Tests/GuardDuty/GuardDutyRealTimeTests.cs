using System.Diagnostics;
using SecurityAlexa.Aws;
using SecurityAlexa.Tests.Aws;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// The two GuardDuty conversations timed on the wall clock with a short turn: they run with the other real-time tests,
/// not alongside the parallel suite, where a queued thread pool makes AWS look slower than the turn (the skill then
/// rightly says it could not answer in time). The rest of the conversations use a fake clock and run in parallel.
/// </summary>
[Collection(SecurityAlexa.Tests.Performance.RealTimeCollection.Name)]
public sealed class GuardDutyRealTimeTests : IDisposable
{
    private const string Detector = GuardDutyClientTests.Detector;
    private const string C2Finding = "8ac6a1f2b3c4d5e6f708192a3b4c5d01";

    private readonly WireMockServer _guardDuty = FakeAws.Server();
    private readonly Ec2Network _net = Ec2Network.Standard();
    private readonly RecordingChat _chat = new();
    private readonly SecurityAlexa.State.InMemoryStateTable _state = new();

    public void Dispose() => _guardDuty.Dispose();

    private SkillDriver Driver(TimeProvider? time = null, Dictionary<string, string>? environment = null)
    {
        var services = IsolationServices.Over(_net, _chat, state: _state);
        return new SkillDriver(new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            Chat = _chat,
            State = _state,
            Threats = new GuardDutyClient(FakeAws.Client(_guardDuty, AwsService.GuardDuty), FakeAws.Region, GuardDutyClientTests.Account),
        }, time: time, environment: environment);
    }

    private void Answer(string path, string body, int status = 200, string? errorType = null, bool get = false, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (errorType is not null) response = response.WithHeader("x-amzn-ErrorType", errorType);
        if (delay is { } d) response = response.WithDelay(d);
        var request = Request.Create().WithPath(path);
        _guardDuty.Given(get ? request.UsingGet() : request.UsingPost()).RespondWith(response);
    }

    private void AnswerDetector() => Answer("/detector", $$"""{"detectorIds":["{{Detector}}"]}""", get: true);

    private void AnswerFindings(TimeSpan? listDelay = null)
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics",
            """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":2},{"severity":5.0,"totalFindings":3},{"severity":2.0,"totalFindings":1}]}}""");
        Answer($"/detector/{Detector}/findings", $$"""{"findingIds":["{{C2Finding}}","0ec6a1f2b3c4d5e6f708192a3b4c5d05"]}""", delay: listDelay);
        Answer($"/detector/{Detector}/findings/get", GuardDutyClientTests.TwoFindings);
    }

    private static AlexaRequests Findings(string? instance = null, string? severity = null) =>
        AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", instance), ("Severity", severity));

    private static AlexaRequests IsolateFinding() =>
        AlexaRequests.Intent("IsolateFindingIntent", ("ConfirmCount", null), ("SecurityCode", null));

    [Fact]
    public async Task WhatDidGuardDutyFind_WhenTheFindingsAreSlowerThanTheTurn_StillSaysTheCountsInTime()
    {
        AnswerFindings(listDelay: TimeSpan.FromSeconds(10));
        var driver = Driver(TimeProvider.System, new Dictionary<string, string> { ["RESPONSE_BUDGET_MS"] = "2500" });

        var started = Stopwatch.StartNew();
        var reply = await driver.SayAsync(Findings());

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
        Assert.StartsWith("In the last 24 hours, GuardDuty reported 6 findings: 2 high, 3 medium and 1 low. "
            + "I couldn't get the findings themselves from AWS in time.", reply.Speech, StringComparison.Ordinal);
        // No finding was read, so none is remembered for an isolation.
        var isolate = await driver.SayAsync(IsolateFinding());
        Assert.StartsWith("I haven't read you a GuardDuty finding", isolate.Speech, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatDidGuardDutyFind_WhenGuardDutyDoesNotAnswerInTime_GivesAClearAnswerBeforeAlexaGivesUp()
    {
        Answer("/detector", """{"detectorIds":[]}""", get: true, delay: TimeSpan.FromSeconds(10));
        var driver = Driver(TimeProvider.System, new Dictionary<string, string> { ["RESPONSE_BUDGET_MS"] = "2000" });

        var started = Stopwatch.StartNew();
        var reply = await driver.SayAsync(Findings());

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
        Assert.NotEmpty(reply.Speech);
        Assert.Contains("in time", reply.Speech, StringComparison.Ordinal);
    }
}
