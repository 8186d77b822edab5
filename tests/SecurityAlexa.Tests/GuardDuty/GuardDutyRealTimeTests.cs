using System.Diagnostics;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.GuardDuty;

/// <summary>
/// The two GuardDuty conversations timed on the wall clock with a short turn: they run with the other real-time tests,
/// not alongside the parallel suite, where a queued thread pool makes AWS look slower than the turn (the skill then
/// rightly says it could not answer in time). The rest of the conversations use a fake clock and run in parallel.
/// </summary>
[Collection(SecurityAlexa.Tests.Performance.RealTimeCollection.Name)]
public sealed class GuardDutyRealTimeTests : GuardDutyConversationBase
{
    [Fact]
    public async Task WhatDidGuardDutyFind_WhenTheFindingsAreSlowerThanTheTurn_StillSaysTheCountsInTime()
    {
        // The counts get 3.2 s of a 4 s budget (room for a loaded machine's cold start); the list would take 10 s.
        AnswerFindings(listDelay: TimeSpan.FromSeconds(10));
        var driver = Driver(TimeProvider.System, new Dictionary<string, string> { ["RESPONSE_BUDGET_MS"] = "4000" });

        var started = Stopwatch.StartNew();
        var reply = await driver.SayAsync(Findings());

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(7), started.Elapsed.ToString());
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
