using SecurityAlexa.Aws;
using SecurityAlexa.Tests.Aws;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// What the GuardDuty conversation tests share: GuardDuty as a WireMock server reached over signed HTTP, EC2 as the
/// Moq fleet the isolation tests use, and the skill driven through the real entry point over both.
/// </summary>
public abstract class GuardDutyConversationBase : IDisposable
{
    private protected const string Detector = GuardDutyClientTests.Detector;
    private protected const string C2Finding = "8ac6a1f2b3c4d5e6f708192a3b4c5d01";

    private protected readonly WireMockServer _guardDuty = FakeAws.Server();
    private protected readonly Ec2Network _net = Ec2Network.Standard();
    private protected readonly RecordingChat _chat = new();
    private protected readonly SecurityAlexa.State.InMemoryStateTable _state = new();

    public void Dispose() => _guardDuty.Dispose();

    private protected SkillDriver Driver(TimeProvider? time = null, Dictionary<string, string>? environment = null)
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

    private protected void Answer(string path, string body, int status = 200, string? errorType = null, bool get = false, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (errorType is not null) response = response.WithHeader("x-amzn-ErrorType", errorType);
        if (delay is { } d) response = response.WithDelay(d);
        var request = Request.Create().WithPath(path);
        _guardDuty.Given(get ? request.UsingGet() : request.UsingPost()).RespondWith(response);
    }

    private protected void AnswerDetector() => Answer("/detector", $$"""{"detectorIds":["{{Detector}}"]}""", get: true);

    private protected void AnswerFindings(TimeSpan? listDelay = null)
    {
        AnswerDetector();
        Answer($"/detector/{Detector}/findings/statistics",
            """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":2},{"severity":5.0,"totalFindings":3},{"severity":2.0,"totalFindings":1}]}}""");
        Answer($"/detector/{Detector}/findings", $$"""{"findingIds":["{{C2Finding}}","0ec6a1f2b3c4d5e6f708192a3b4c5d05"]}""", delay: listDelay);
        Answer($"/detector/{Detector}/findings/get", GuardDutyClientTests.TwoFindings);
    }

    private protected static AlexaRequests Findings(string? instance = null, string? severity = null) =>
        AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", instance), ("Severity", severity));

    private protected static AlexaRequests IsolateFinding() =>
        AlexaRequests.Intent("IsolateFindingIntent", ("ConfirmCount", null), ("SecurityCode", null));
}
