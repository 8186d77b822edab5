using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Aws;
using SecurityAlexa.Tests.Aws;
using SecurityAlexa.Tests.Isolation;
using SecurityAlexa.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// "What did GuardDuty find in the last 6 hours / since yesterday / this week / since Monday", through the real entry
/// point: the window said back, the updatedAt criterion GuardDuty is asked with, the 90-day bound, and a future or
/// unreadable time answered without asking AWS anything.
/// </summary>
public sealed class GuardDutyWindowTests : IDisposable
{
    private const string Detector = GuardDutyClientTests.Detector;

    // Thursday 10 December 2026, 15:00 UTC.
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 15, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer _guardDuty = FakeAws.Server();
    private readonly Ec2Network _net = Ec2Network.Standard();

    public void Dispose() => _guardDuty.Dispose();

    private SkillDriver Driver()
    {
        var services = IsolationServices.Over(_net, new RecordingChat());
        return new SkillDriver(new SkillServices
        {
            Instances = services.Instances,
            Targets = services.Targets,
            Isolation = services.Isolation,
            Threats = new GuardDutyClient(FakeAws.Client(_guardDuty, AwsService.GuardDuty), FakeAws.Region, GuardDutyClientTests.Account),
        }, time: new FakeTimeProvider(Now));
    }

    private void Answer(string path, string body, bool get = false)
    {
        var request = Request.Create().WithPath(path);
        _guardDuty.Given(get ? request.UsingGet() : request.UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
    }

    private void AnswerFindings(bool none = false)
    {
        Answer("/detector", $$"""{"detectorIds":["{{Detector}}"]}""", get: true);
        Answer($"/detector/{Detector}/findings/statistics", none ? """{"findingStatistics":{"groupedBySeverity":[]}}"""
            : """{"findingStatistics":{"groupedBySeverity":[{"severity":8.0,"totalFindings":2},{"severity":5.0,"totalFindings":3}]}}""");
        Answer($"/detector/{Detector}/findings", none ? """{"findingIds":[]}""" : """{"findingIds":["8ac6a1f2b3c4d5e6f708192a3b4c5d01"]}""");
        Answer($"/detector/{Detector}/findings/get", GuardDutyClientTests.TwoFindings);
    }

    private static AlexaRequests Findings(string? within = null, string? since = null, string locale = "en-US")
    {
        var request = AlexaRequests.Intent("GuardDutyFindingsIntent", ("InstanceName", null), ("Severity", null), ("Within", within),
            ("Since", since));
        request.Request["locale"] = locale;
        return request;
    }

    // The updatedAt bound of each findings call, as sent.
    private IReadOnlyList<DateTimeOffset> UpdatedSince() => _guardDuty.LogEntries
        .Where(e => e.RequestMessage.Path is { } p && (p.EndsWith("/findings/statistics", StringComparison.Ordinal) || p.EndsWith("/findings", StringComparison.Ordinal)))
        .Select(e => DateTimeOffset.FromUnixTimeMilliseconds(
            (long)JsonNode.Parse(e.RequestMessage.Body!)!["findingCriteria"]!["criterion"]!["updatedAt"]!["greaterThanOrEqual"]!))
        .ToList();

    [Fact]
    public async Task WithNoTime_LooksBack24Hours_AndSaysSo()
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings());

        Assert.StartsWith("In the last 24 hours, GuardDuty reported 5 findings: 2 high and 3 medium.", reply.Speech, StringComparison.Ordinal);
        Assert.Equal([Now.AddHours(-24), Now.AddHours(-24)], UpdatedSince());
        Assert.Contains("Since 2026-12-09 15:00 UTC: 0 critical, 2 high, 3 medium, 0 low", reply.CardText);
    }

    [Theory]
    [InlineData("PT6H", 6 * 60, "In the last 6 hours,")]
    [InlineData("PT1H", 60, "In the last hour,")]
    [InlineData("PT30M", 30, "In the last 30 minutes,")]
    [InlineData("P2D", 2 * 24 * 60, "In the last 2 days,")]
    [InlineData("P1W", 7 * 24 * 60, "In the last week,")]
    [InlineData("P1DT12H", 36 * 60, "In the last 36 hours,")]
    public async Task InTheLastSpan_AsksForThatSpan_AndSaysItBack(string within, int minutes, string said)
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings(within: within));

        Assert.StartsWith(said + " GuardDuty reported 5 findings", reply.Speech, StringComparison.Ordinal);
        Assert.All(UpdatedSince(), at => Assert.Equal(Now.AddMinutes(-minutes), at));
        Assert.Equal(2, UpdatedSince().Count);
    }

    [Theory]
    // "since yesterday": from midnight UTC.
    [InlineData("2026-12-09", "2026-12-09", "Since Wednesday, December 9,")]
    // "this week": from Monday of the ISO week.
    [InlineData("2026-W50", "2026-12-07", "Since Monday, December 7,")]
    // "this weekend" of last week.
    [InlineData("2026-W49-WE", "2026-12-05", "Since Saturday, December 5,")]
    // "this month".
    [InlineData("2026-12", "2026-12-01", "Since Tuesday, December 1,")]
    // "since Monday": Alexa resolves the weekday forward (to the 14th); the one meant is the last one.
    [InlineData("2026-12-14", "2026-12-07", "Since Monday, December 7,")]
    // "today".
    [InlineData("2026-12-10", "2026-12-10", "Since Thursday, December 10,")]
    public async Task SinceADate_AsksFromThatDay_AndSaysTheDateBack(string since, string from, string said)
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings(since: since));

        Assert.StartsWith(said + " GuardDuty reported 5 findings", reply.Speech, StringComparison.Ordinal);
        var expected = DateTimeOffset.ParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal([expected, expected], UpdatedSince());
    }

    [Theory]
    [InlineData("P1Y", null)]
    [InlineData("P6M", null)]
    [InlineData("P99999999D", null)]
    [InlineData(null, "2026")]
    [InlineData(null, "2025-01-15")]
    public async Task FurtherBackThanGuardDutyKeepsFindings_IsBoundedTo90Days_AndSaysSo(string? within, string? since)
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings(within, since));

        Assert.StartsWith("In the last 90 days, as far back as GuardDuty keeps findings, GuardDuty reported 5 findings", reply.Speech,
            StringComparison.Ordinal);
        Assert.Equal([Now.AddDays(-90), Now.AddDays(-90)], UpdatedSince());
    }

    [Fact]
    public async Task WithNoFindingsInTheWindow_SaysTheWindow()
    {
        AnswerFindings(none: true);

        var reply = await Driver().SayAsync(Findings(within: "PT6H"));

        Assert.Equal("GuardDuty has no open findings in the last 6 hours. Anything else?", reply.Speech);
    }

    [Theory]
    [InlineData("2026-12-25", "December 25 is still to come")]
    [InlineData("2027-W10", "Monday, March 8 is still to come")]
    public async Task AFutureTime_IsAnsweredClearly_AndAsksAWSNothing(string since, string said)
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings(since: since));

        Assert.Contains(said, reply.Speech, StringComparison.Ordinal);
        Assert.EndsWith("what did GuardDuty find in the last 6 hours?", reply.Speech, StringComparison.Ordinal);
        Assert.NotEqual(true, reply.EndsSession);
        Assert.Empty(_guardDuty.LogEntries);
    }

    [Theory]
    [InlineData("PRESENT_REF", null)]
    [InlineData("201X", null)]
    [InlineData("2026-WI", null)]
    [InlineData("yesterday-ish", null)]
    [InlineData(null, "PT0H")]
    [InlineData(null, "P")]
    [InlineData(null, "six hours")]
    public async Task AnUnreadableTime_IsAnsweredClearly_AndAsksAWSNothing(string? since, string? within)
    {
        AnswerFindings();

        var reply = await Driver().SayAsync(Findings(within, since));

        Assert.Equal("I didn't catch a time I can look back from. You can say: what did GuardDuty find in the last 6 hours, or since yesterday?",
            reply.Speech);
        Assert.Empty(_guardDuty.LogEntries);
        Assert.Empty(_net.Calls);
    }

    [Fact]
    public async Task InJapanese_TheWindowIsSaidInJapanese()
    {
        AnswerFindings();

        var hours = await Driver().SayAsync(Findings(within: "PT6H", locale: "ja-JP"));
        var since = await Driver().SayAsync(Findings(since: "2026-12-09", locale: "ja-JP"));

        Assert.StartsWith("過去6時間に、GuardDutyは", hours.Speech, StringComparison.Ordinal);
        Assert.StartsWith("12月9日(水)以降に、GuardDutyは", since.Speech, StringComparison.Ordinal);
    }
}
