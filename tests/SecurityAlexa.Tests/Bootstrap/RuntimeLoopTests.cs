using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecurityAlexa.Bootstrap;
using SecurityAlexa.Skill;
using SecurityAlexa.Tests.Support;

namespace SecurityAlexa.Tests.Bootstrap;

/// <summary>The custom-runtime loop with the real HTTP client against an in-process Runtime API.</summary>
public sealed class RuntimeLoopTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static SkillHost Host(ILogSink sink, TimeProvider? time = null) => SkillHost.Create(
        SkillConfig.FromEnvironment(new Dictionary<string, string> { ["SKILL_ID"] = AlexaRequests.SkillId, ["SESSION_SIGNING_KEY"] = Convert.ToBase64String(new byte[32]),
            ["ALLOWED_USERS"] = SecurityAlexa.Security.IdentityHash.Of(AlexaRequests.UserId)! }),
        new SkillServices(), sink, time ?? new FakeTimeProvider(Start));

    [Fact]
    public async Task RunAsync_WhenNextHandsOutLaunchRequest_PostsTheSkillResponse()
    {
        await using var api = FakeRuntimeApi.Start();
        var sink = new MemoryLogSink();
        var posted = api.Enqueue("lambda-req-1", AlexaRequests.Launch().At(Start).Json, Start + TimeSpan.FromSeconds(7), "Root=1-abc;Parent=def;Sampled=1");

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => Host(sink), CancellationToken.None, maxInvocations: 1).WaitAsync(Hang);

        Assert.Equal(0, exit);
        var result = await posted.WaitAsync(Hang);
        Assert.Equal(("response", "lambda-req-1"), (result.Kind, result.RequestId));
        Assert.StartsWith("application/json", result.Headers["Content-Type"]);
        var reply = new AlexaReply(result.Body).AssertWellFormed();
        Assert.Contains("scan instances for vulnerabilities", reply.Speech);
        Assert.Equal("Root=1-abc;Parent=def;Sampled=1", Environment.GetEnvironmentVariable(LambdaRuntimeLoop.TraceIdVariable));
        Assert.Equal("lambda-req-1", (string?)sink.Lines.Select(l => JsonNode.Parse(l)!).Single(r => (string?)r["kind"] == "invocation")["lambdaRequestId"]);
    }

    [Fact]
    public async Task RunAsync_WhenSeveralInvocationsArrive_AnswersEachInTurn()
    {
        await using var api = FakeRuntimeApi.Start();
        var first = api.Enqueue("req-a", AlexaRequests.Intent("AMAZON.HelpIntent").At(Start).Json);
        var second = api.Enqueue("req-b", "{ this is not json");
        var third = api.Enqueue("req-c", AlexaRequests.Raw(new JsonObject { ["type"] = "Connections.Response" }).At(Start).Json);

        await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => Host(new MemoryLogSink()), CancellationToken.None, maxInvocations: 3).WaitAsync(Hang);

        Assert.Contains("Here are some things you can say", new AlexaReply((await first).Body).Speech);
        Assert.Equal("Sorry, I couldn't read that request, so I did nothing.", new AlexaReply((await second).Body).AssertWellFormed().Speech);
        Assert.Contains("can't handle that kind of request", new AlexaReply((await third).Body).AssertWellFormed().Speech);
        Assert.All(new[] { await first, await second, await third }, p => Assert.Equal("response", p.Kind));
        Assert.Equal(3, api.NextCalls);
    }

    [Fact]
    public async Task RunAsync_WhenDispatcherFails_PostsToTheErrorEndpointAndKeepsServing()
    {
        await using var api = FakeRuntimeApi.Start();
        var failed = api.Enqueue("req-fail", AlexaRequests.Launch().At(Start).Json);
        var next = api.Enqueue("req-next", AlexaRequests.Launch().At(Start).Json);
        var calls = 0;
        InvocationHandler handler = (payload, info, ct) =>
            ++calls == 1 ? throw new InvalidOperationException("dispatcher broke") : Task.FromResult("{\"version\":\"1.0\",\"response\":{}}"u8.ToArray());

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => (handler, new SkillLog(new MemoryLogSink(), TimeProvider.System)),
            CancellationToken.None, maxInvocations: 2).WaitAsync(Hang);

        Assert.Equal(0, exit);
        var error = await failed.WaitAsync(Hang);
        Assert.Equal(("error", "req-fail"), (error.Kind, error.RequestId));
        Assert.Equal("Unhandled", error.Headers["Lambda-Runtime-Function-Error-Type"]);
        var body = JsonNode.Parse(error.Body)!;
        Assert.Equal("InvalidOperationException", (string?)body["errorType"]);
        Assert.Equal("dispatcher broke", (string?)body["errorMessage"]);
        Assert.Equal("response", (await next.WaitAsync(Hang)).Kind);
    }

    [Fact]
    public async Task RunAsync_WhenStdoutLoggingBreaksOnAPayload_ReportsTheInvocationError()
    {
        // A payload of an unknown type makes the dispatcher log; with stdout gone even its apology
        // cannot be produced, so the dispatcher fails and the runtime must hear about it.
        await using var api = FakeRuntimeApi.Start();
        var posted = api.Enqueue("req-broken-log", AlexaRequests.Raw(new JsonObject { ["type"] = "Connections.Response" }).At(Start).Json);

        await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => Host(new BrokenSink()), CancellationToken.None, maxInvocations: 1).WaitAsync(Hang);

        var result = await posted.WaitAsync(Hang);
        Assert.Equal("error", result.Kind);
        Assert.Equal("AggregateException", (string?)JsonNode.Parse(result.Body)!["errorType"]);
    }

    [Fact]
    public async Task RunAsync_WhenHostCannotBeBuilt_PostsInitErrorAndExits()
    {
        await using var api = FakeRuntimeApi.Start();

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort),
            (Func<SkillHost>)(() => throw new InvalidOperationException("speech catalogue missing")), CancellationToken.None).WaitAsync(Hang);

        Assert.Equal(1, exit);
        var init = await api.InitError.WaitAsync(Hang);
        Assert.Equal("Unhandled", init.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.Equal("speech catalogue missing", (string?)JsonNode.Parse(init.Body)!["errorMessage"]);
        Assert.Equal(0, api.NextCalls);
    }

    [Fact]
    public async Task RunAsync_WhenDeadlineHeaderIsSet_TheDeadlineReachesThePipeline()
    {
        await using var api = FakeRuntimeApi.Start();
        var sink = new MemoryLogSink();
        // Lambda says 3 s are left; the skill's 7 s budget is later, so Lambda's deadline rules.
        var posted = api.Enqueue("req-deadline", AlexaRequests.Launch().At(Start).Json, Start + TimeSpan.FromSeconds(3));

        await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => Host(sink, new FakeTimeProvider(Start)), CancellationToken.None, maxInvocations: 1).WaitAsync(Hang);

        await posted.WaitAsync(Hang);
        var summary = sink.Lines.Select(l => JsonNode.Parse(l)!).Single(r => (string?)r["kind"] == "invocation");
        Assert.Equal(Start + TimeSpan.FromMilliseconds(2200), DateTimeOffset.Parse((string)summary["deadline"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NextAsync_WhenRuntimeApiAnswers_ReadsEveryHeaderAndThePayload()
    {
        await using var api = FakeRuntimeApi.Start();
        _ = api.Enqueue("req-headers", "{\"x\":1}", Start + TimeSpan.FromMilliseconds(6543), "Root=1-trace");
        var client = new RuntimeApiClient(api.HostPort);

        var invocation = await client.NextAsync(CancellationToken.None).WaitAsync(Hang);

        Assert.Equal("req-headers", invocation.RequestId);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(6543), invocation.Deadline);
        Assert.Equal("Root=1-trace", invocation.TraceId);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:security-alexa", invocation.FunctionArn);
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(invocation.Payload));
    }

    [Fact]
    public async Task RunAsync_WhenRuntimeApiIsGone_LogsAndExitsWithFailure()
    {
        var sink = new MemoryLogSink();

        var exit = await LambdaRuntimeLoop.RunAsync(new RuntimeApiClient("127.0.0.1:" + Loopback.FreePort()), () => Host(sink), CancellationToken.None).WaitAsync(Hang);

        Assert.Equal(1, exit);
        Assert.Contains(sink.Lines, l => l.Contains("\"kind\":\"runtime.next-failed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenCancelledWhileWaitingForNext_StopsCleanly()
    {
        await using var api = FakeRuntimeApi.Start();
        using var stop = new CancellationTokenSource();

        var running = LambdaRuntimeLoop.RunAsync(new RuntimeApiClient(api.HostPort), () => Host(new MemoryLogSink()), stop.Token);
        while (api.NextCalls == 0) await Task.Delay(10);
        await stop.CancelAsync();

        Assert.Equal(0, await running.WaitAsync(Hang));
    }

    private sealed class BrokenSink : ILogSink
    {
        public void Write(string jsonLine) => throw new IOException("stdout is closed");
    }
}
