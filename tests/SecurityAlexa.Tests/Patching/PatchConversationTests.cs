using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Tests.Support;
using static SecurityAlexa.Tests.Patching.PatchHarness;

namespace SecurityAlexa.Tests.Patching;

/// <summary>
/// The whole conversation through the real entry point: a scan report leaves the vulnerable instances in
/// focus, then "patch them", "all of them", "yes", and "how is the patching going?".
/// </summary>
public sealed class PatchConversationTests
{
    private static AlexaRequests Status() => AlexaRequests.Intent("PatchStatusIntent");

    [Fact]
    public async Task Conversation_FromScanReportToStatus_PatchesExactlyTheReportedInstancesAfterYes()
    {
        var h = new PatchHarness();

        var which = await h.SayWithFocusAsync(Patch(), ProdFocus);
        var readBack = await h.Driver.SayAsync(Answer(selection: "all of them"));
        Assert.Empty(h.Ssm.Sent);
        var started = await h.Driver.SayAsync(Confirm("CONFIRMED", selection: "all of them"));
        h.Ssm.CommandStatusIs("cmd-1", "InProgress").Invocations("cmd-1", (Web1, "Success"), (Web2, "InProgress"), (Db1, "Pending"));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var status = await h.Driver.SayAsync(Status());

        Assert.Equal("That's 3 instances: web-1, web-2 and db-1. Which ones should I patch?", which.Speech);
        Assert.Equal(
            "Patching 3 instances, web-1, web-2 and db-1, with their patch baselines, rebooting if needed. " +
            "web-1 and web-2 use the prod-linux baseline. db-1 uses the default baseline for Amazon Linux. Shall I go ahead?",
            readBack.Speech);
        Assert.Equal("Patching has started on 3 instances: web-1, web-2 and db-1. Ask me how the patching is going.", started.Speech);
        // The focus is a scan's vulnerable subset, never a whole tag group: ids, not the tag.
        Assert.Equal([Web1, Web2, Db1], Assert.Single(h.Ssm.Sent).InstanceIds);
        Assert.Equal("Patching of 3 instances, started 2 minutes ago, is still running: 1 succeeded and 2 in progress. Anything else?", status.Speech);
    }

    [Fact]
    public async Task Conversation_InTheSandbox_PatchesTheFocusAndReportsProgressThenCompliance()
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        var store = NewStore();
        var driver = new SkillDriver(account.Services(), time: time, store: store);

        var which = await driver.SayAsync(Patch().InSession(SessionWith(store, ProdFocus)));
        await driver.SayAsync(Answer(selection: "all of them"));
        var started = await driver.SayAsync(Confirm("CONFIRMED", selection: "all of them"));
        time.Advance(TimeSpan.FromMinutes(3));
        var running = await driver.SayAsync(Status());
        driver.EndSession();
        time.Advance(TimeSpan.FromMinutes(10));
        var finished = await driver.SayAsync(Status());

        Assert.StartsWith("That's 3 instances: web-1, web-2 and db-1.", which.Speech);
        Assert.StartsWith("Patching has started on 3 instances: web-1, web-2 and db-1.", started.Speech);
        Assert.Equal("Patching of 3 instances, started 3 minutes ago, is still running: 1 succeeded and 2 in progress. Anything else?", running.Speech);
        // A new session finds the run by its comment.
        Assert.Equal("Patching of 3 instances, started 13 minutes ago, has finished: 3 succeeded. All of them now comply with their patch baselines.", finished.Speech);
    }

    [Fact]
    public async Task Conversation_InTheSandbox_SkipsTheUnresponsiveAgentAndThePatchesGoToTheRest()
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        var services = account.Services();
        var driver = new SkillDriver(services, time: time);

        var readBack = await driver.SayAsync(Patch("environment", "staging"));
        await driver.SayAsync(Confirm("CONFIRMED", "environment", "staging"));

        Assert.Equal(
            "Not patching api-1: its SSM agent isn't responding. Patching 1 instance, web-3, with its patch baseline, rebooting if needed. Shall I go ahead?",
            readBack.Speech);
        var sent = Assert.Single(((SandboxPatchManager)services.Patches!).Sent);
        Assert.Equal(["i-0c3d4e5f6a7b80004"], sent.Target.InstanceIds);
    }

    [Fact]
    public async Task Conversation_InTheSandbox_FromARealScanReportToStatus()
    {
        var time = new FakeTimeProvider(Start);
        var account = SandboxAccount.CreateDefault(time);
        var services = account.Services();
        var driver = new SkillDriver(services, time: time);

        await driver.SayAsync(AlexaRequests.Intent("ScanIntent", ("TagKey", "environment"), ("TagValue", "prod"), ("InstanceName", null)));
        time.Advance(TimeSpan.FromMinutes(15));
        var report = await driver.SayAsync(AlexaRequests.Intent("ScanResultsIntent", ("TagKey", null), ("TagValue", null), ("InstanceName", null), ("Severity", null)));
        var which = await driver.SayAsync(Patch());
        var readBack = await driver.SayAsync(Answer(selection: "all of them"));
        var started = await driver.SayAsync(Confirm("CONFIRMED", selection: "all of them"));
        time.Advance(TimeSpan.FromMinutes(30));
        var status = await driver.SayAsync(Status());

        Assert.EndsWith("on 3 instances: web-1, web-2 and db-1. web-1 has both critical ones. To fix them, you can say: patch them.", report.Speech);
        Assert.Equal("3 instances tagged Environment prod have vulnerabilities: web-1, web-2 and db-1. Which ones should I patch?", which.Speech);
        Assert.Equal(
            "Patching 3 instances, web-1, web-2 and db-1, with their patch baselines, rebooting if needed. " +
            "web-1 and web-2 use the prod-linux baseline. db-1 uses the default baseline for Amazon Linux. Shall I go ahead?",
            readBack.Speech);
        Assert.Equal("Patching has started on 3 instances: web-1, web-2 and db-1. Ask me how the patching is going.", started.Speech);
        // The scan's focus carries the tag for speech only: the command goes to the ids read back.
        Assert.Null(Assert.Single(((SandboxPatchManager)services.Patches!).Sent).Target.TagKey);
        Assert.Equal("Patching of 3 instances, started 30 minutes ago, has finished: 3 succeeded. All of them now comply with their patch baselines. Anything else?", status.Speech);
    }

    [Fact]
    public async Task Conversation_InTheSandbox_TheVulnerableOnesOfATagAreReadFromTheFindings()
    {
        var time = new FakeTimeProvider(Start);
        var driver = new SkillDriver(SandboxAccount.CreateDefault(time).Services(), time: time);

        var reply = await driver.SayAsync(Patch("environment", "prod", scope: "vulnerable"));

        Assert.Equal("3 instances tagged Environment prod have vulnerabilities: db-1, web-1 and web-2. Which ones should I patch?", reply.Speech);
    }
}
