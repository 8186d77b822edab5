using System.Text.Json.Nodes;
using SecurityAlexa.Local;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Isolation;

/// <summary>The isolation samples in events/, run the way the README shows: the local runner's invoke with --sandbox.</summary>
public sealed class IsolationSampleEventTests
{
    // The key the sample isolate-confirmed.json was signed with (docs/isolation.md); never a real key.
    private const string SampleKey = "c2FtcGxlLW9ubHktc2Vzc2lvbi1zaWduaW5nLWtleS0hIQ==";

    private static async Task<(int Exit, JsonNode Output, string Stderr)> Invoke(string name, IReadOnlyDictionary<string, string>? env = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await LocalRunner.RunAsync(["invoke", Path.Combine(Fixtures.EventsDir, name), "--sandbox"], TextReader.Null, stdout, stderr,
            env ?? new Dictionary<string, string>(), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return (exit, JsonNode.Parse(stdout.ToString())!, stderr.ToString());
    }

    private static string Speech(JsonNode output) => new AlexaReply(output.ToJsonString()).Speech;

    [Theory]
    [InlineData("isolate-web-1.json", "Isolating web-1, instance ending in 0001, in the VPC ending in prod. It will lose all network access. Before that, web-1 "
        + "is protected from scale-in, goes into standby in its Auto Scaling group, comes out of 1 target group and keeps its volumes if it's terminated. "
        + "Shall I go ahead?")]
    [InlineData("isolation-status.json", "No instances are isolated.")]
    [InlineData("release-web-1.json", "web-1 has no isolation record, so there's nothing for me to undo. I changed nothing. Anything else?")]
    [InlineData("blocked-traffic.json", "web-1 isn't isolated, so there's no blocked traffic to count. You can ask me which instances are isolated. Anything else?")]
    public async Task Invoke_IsolationSample_AnswersAsAFreshSandboxShould(string name, string expected)
    {
        var (exit, output, _) = await Invoke(name);

        Assert.Equal(0, exit);
        Assert.Equal(expected, Speech(output));
    }

    [Fact]
    public async Task Invoke_IsolateConfirmedWithTheSampleKey_IsolatesWeb1()
    {
        var (_, output, stderr) = await Invoke("isolate-confirmed.json", new Dictionary<string, string> { ["SESSION_SIGNING_KEY"] = SampleKey });

        Assert.StartsWith("Done. web-1 is isolated: all 2 of its network interfaces are in the isolation group", Speech(output));
        Assert.Contains("\"kind\":\"isolate.result\"", stderr);
    }

    [Fact]
    public async Task Invoke_IsolateConfirmedWithoutTheKey_DistrustsTheStateAndOnlyReadsBack()
    {
        var (_, output, _) = await Invoke("isolate-confirmed.json");

        Assert.StartsWith("I couldn't trust what this conversation remembered, so I've started over. Isolating web-1", Speech(output));
    }

    [Fact]
    public async Task Invoke_SqsBatchWithTheCreateTagsEvent_IsolatesTheTaggedSandboxInstanceAndReportsNoFailure()
    {
        var (exit, output, stderr) = await Invoke("sqs-createtags.json");

        Assert.Equal(0, exit);
        Assert.Empty(output["batchItemFailures"]!.AsArray());
        Assert.Contains("\"kind\":\"isolate.event.result\"", stderr);
        Assert.Contains("i-0c3d4e5f6a7b80005=Isolated", stderr);
    }

    [Fact]
    public async Task Invoke_EventBridgeCreateTagsSentToTheFunctionDirectly_IsRejectedAndChangesNothing()
    {
        // The rule targets the queue: the same event arriving at the function itself is not acted on.
        var (exit, output, stderr) = await Invoke("eventbridge-createtags.json");

        Assert.Equal(0, exit);
        Assert.Equal("rejected", (string?)output["status"]);
        Assert.DoesNotContain("isolate.event.result", stderr);
    }

    [Fact]
    public async Task Invoke_ScheduledEvent_RunsTheScheduledJobsAndAnswersWithTheirStatus()
    {
        var (exit, output, _) = await Invoke("scheduled.json");

        Assert.Equal(0, exit);
        Assert.Equal("ran", (string?)output["status"]);
    }
}
