using System.Text;
using SecurityAlexa.Isolation;
using SecurityAlexa.Local;
using SecurityAlexa.Sandbox;
using SecurityAlexa.Skill;
using SecurityAlexa.Targets;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Local;

/// <summary>
/// <c>serve --sandbox</c> delivers the sandbox's work queue to the function while it serves, as Lambda's event
/// source mapping would: background isolation started by a request finishes, and a message the function reports
/// comes back after the visibility timeout and ends in the dead-letter queue after 3 receives.
/// </summary>
public sealed class ServeQueueTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static AlexaRequests IsolateProd() => AlexaRequests.Intent("IsolateIntent", ("InstanceName", null), ("TagKey", "environment"),
        ("TagValue", "prod"), ("Reason", "port scan"));

    private static async Task<AlexaReply> PostAsync(HttpClient http, AlexaRequests request)
    {
        using var response = await http.PostAsync("/", new StringContent(request.Json, Encoding.UTF8, "application/json"));
        return new AlexaReply(await response.Content.ReadAsStringAsync()).AssertWellFormed();
    }

    [Fact]
    public async Task Serve_WithTheSandbox_FinishesAnIsolationThatWentOnInTheBackground()
    {
        using var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stderr = new StringWriter();
        var port = Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Every EC2 call takes a second of sandbox time, so the turn runs out and hands instances to the queue.
        var serving = LocalRunner.RunAsync(["serve", "--port", port, "--sandbox", "--aws-latency", "1000"],
            TextReader.Null, TextWriter.Null, TextWriter.Synchronized(stderr), new Dictionary<string, string>(), stop.Token, listening.SetResult);
        using var http = new HttpClient { BaseAddress = await listening.Task.WaitAsync(Hang) };

        var readBack = await PostAsync(http, IsolateProd());
        var yes = await PostAsync(http, IsolateProd().Confirmation("CONFIRMED").InSession(readBack.SessionAttributes));
        var status = "";
        for (var tries = 0; tries < 60 && !status.Contains("3 instances are isolated", StringComparison.Ordinal); tries++)
        {
            await Task.Delay(500);
            status = (await PostAsync(http, AlexaRequests.Intent("IsolationStatusIntent"))).Speech;
        }
        await stop.CancelAsync();
        var exit = await serving.WaitAsync(Hang);

        Assert.Contains("in the background", yes.Speech, StringComparison.Ordinal);
        Assert.Contains("3 instances are isolated", status, StringComparison.Ordinal);
        Assert.DoesNotContain("background", status, StringComparison.Ordinal);
        Assert.Contains("message(s) delivered to the function", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Serve_WithTheSandbox_DeliversAgainWhatTheFunctionReportedAndMovesItToTheDeadLetterQueueAfterThreeReceives()
    {
        var account = SandboxAccount.CreateDefault(TimeProvider.System);
        var options = RunnerOptions.Parse(["--sandbox"]) with { Environment = new Dictionary<string, string>() };
        using var stderr = new StringWriter();
        var host = LocalRunner.CreateHost(options, TextWriter.Synchronized(stderr), account: account);
        using var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = LocalServer.RunAsync(host, Loopback.FreePort(), TextWriter.Synchronized(stderr), stop.Token, listening.SetResult,
            account.Queue, TimeSpan.FromMilliseconds(20));
        await listening.Task.WaitAsync(Hang);
        const string Web1 = "i-0a1b2c3d4e5f60001";
        account.Queue.Send("{ this is not json");
        account.Queue.Send(WorkEnvelope.BodyOf(IsolateInstanceWork.For(Web1, new IsolationRequest("speaker:abc", "port scan", DateTimeOffset.UnixEpoch))));

        for (var tries = 0; tries < 400 && (account.Queue.DeadLetters.Count == 0 || account.Queue.Count > 0); tries++)
        {
            await Task.Delay(25);
            // Time passes in the sandbox: a reported message becomes visible again, as in SQS.
            if (tries % 4 == 3) account.Clock.Advance(account.Queue.VisibilityTimeout);
        }
        await stop.CancelAsync();
        var exit = await serving.WaitAsync(Hang);

        Assert.Equal(["{ this is not json"], account.Queue.DeadLetters);
        Assert.Equal(0, account.Queue.Count);
        Assert.Contains(SkillTags.IsolatedAt, account.World.Find(Web1)!.Tags.Keys);
        Assert.Equal(0, exit);
    }
}
